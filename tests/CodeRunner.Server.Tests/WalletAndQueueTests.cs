using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace CodeRunner.Server.Tests;

/// <summary>
/// A small wallet ($0.10 prefund), one worker and a queue of two: the wallet runs out to a 402 exactly when the
/// balance no longer covers a submission's worst case; a queued submission can be deleted (never charged); a full
/// queue answers 503 before anything is reserved.
/// </summary>
public sealed class WalletAndQueueTests(WalletAndQueueTests.SmallServer server) : IClassFixture<WalletAndQueueTests.SmallServer>
{
    private const long WorstCaseNanos = 10_000_000 + (5_000 * 10_000); // basic unit + 5 000 CPU ms at the default limit

    [Fact]
    public async Task The_wallet_runs_out_to_a_402_with_exact_arithmetic_then_the_portal_redirects()
    {
        (string token, _) = await server.Server.SignUpAsync("small-wallet@example.com");
        string customer = await server.Server.CustomerIdAsync("small-wallet@example.com");
        using Judge0Client client = server.Server.Client(token);
        long billed = 0;
        int accepted = 0;
        Reply reply;
        while (true)
        {
            Ledger before = await Ledger.SettledAsync(server.Server.Host.Backend.BaseUrl, customer, accepted);
            before.Held.Should().Be(0);
            before.Balance.Should().Be(before.Prefunds - billed, "every charge is the one the API reported");
            reply = await client.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print(1)" }, wait: true, fields: "status_id,charge_usd");
            if (reply.Status != HttpStatusCode.Created)
            {
                before.Balance.Should().BeLessThan(WorstCaseNanos, "refused only when the worst case no longer fits");
                break;
            }

            before.Balance.Should().BeGreaterThanOrEqualTo(WorstCaseNanos);
            reply.Json!["status_id"]!.GetValue<int>().Should().Be(3);
            billed += (long)(decimal.Parse((string)reply.Json["charge_usd"]!, CultureInfo.InvariantCulture) * 1_000_000_000m);
            accepted++;
            accepted.Should().BeLessThan(10);
        }

        reply.Status.Should().Be(HttpStatusCode.PaymentRequired);
        reply.Json!["code"]!.GetValue<string>().Should().Be("INSUFFICIENT_FUNDS");
        accepted.Should().BeGreaterThan(0);
        Ledger after = await Ledger.ReadAsync(server.Server.Host.Backend.BaseUrl, customer);
        after.Charged.Should().Be(billed);
        after.ChargeRows.Should().Be(accepted);
        after.Held.Should().Be(0, "a refused submission holds nothing");

        // A smaller worst case still fits: the reservation is sized by the submission's own limits.
        Reply small = await client.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print(2)", ["cpu_time_limit"] = 0.5 }, wait: true);
        small.Status.Should().Be(HttpStatusCode.Created, small.Text);

        Reply portal = await client.SendAsync(HttpMethod.Get, new Uri((string)reply.Json!["billing_portal_url"]!).PathAndQuery);
        portal.Status.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_queued_submission_can_be_deleted_uncharged_and_a_full_queue_is_503()
    {
        (string token, _) = await server.Server.SignUpAsync("queue@example.com");
        string customer = await server.Server.CustomerIdAsync("queue@example.com");
        using Judge0Client client = server.Server.Client(token);
        JsonObject Sleeper(string seconds) => new() { ["language_id"] = 71, ["source_code"] = $"import time\ntime.sleep({seconds})\nprint('done')", ["cpu_time_limit"] = 1, ["wall_time_limit"] = 8 };

        string running = (string)(await client.CreateAsync(Sleeper("6"))).Json!["token"]!;
        await WaitForStatusAsync(client, running, 2); // the only worker is busy from here on
        string queued = (string)(await client.CreateAsync(Sleeper("0"))).Json!["token"]!;
        string queued2 = (string)(await client.CreateAsync(Sleeper("0"))).Json!["token"]!;

        Reply full = await client.CreateAsync(Sleeper("0"));
        full.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        full.Text.Should().Be("""{"error":"queue is full"}""");

        Reply busy = await client.DeleteAsync(running);
        busy.Status.Should().Be(HttpStatusCode.BadRequest);
        busy.Text.Should().Be("""{"error":"submission cannot be deleted because its status is 2 (Processing)"}""");

        Reply deleted = await client.DeleteAsync(queued);
        deleted.Status.Should().Be(HttpStatusCode.OK, deleted.Text);
        JsonAssert.Same(deleted.Json!["status"], """{"id":1,"description":"In Queue"}""");
        (await client.GetAsync(queued)).Status.Should().Be(HttpStatusCode.NotFound);

        (await client.PollAsync(running))["status"]!["id"]!.GetValue<int>().Should().Be(3);
        (await client.PollAsync(queued2))["status"]!["id"]!.GetValue<int>().Should().Be(3);
        Ledger ledger = await Ledger.SettledAsync(server.Server.Host.Backend.BaseUrl, customer, expectedCharges: 2);
        ledger.Charges.Keys.Should().BeEquivalentTo($"j0-{running}:usage", $"j0-{queued2}:usage");
    }

    private static async Task WaitForStatusAsync(Judge0Client client, string token, int status)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while ((int)(await client.GetAsync(token, fields: "status_id")).Json!["status_id"]! != status)
        {
            DateTime.UtcNow.Should().BeBefore(deadline);
            await Task.Delay(20);
        }
    }

    /// <summary>$0.10 per sign-up, one worker, MAX_QUEUE_SIZE 2.</summary>
    public sealed class SmallServer : IAsyncLifetime
    {
        internal TestServer Server { get; } = new(s => s with
        {
            Workers = 1,
            MaxQueueSize = 2,
            Catalogue = s.Catalogue with { PrefundUsd = 0.10m },
        });

        public Task InitializeAsync() => Server.InitializeAsync();

        public Task DisposeAsync() => Server.DisposeAsync();
    }
}
