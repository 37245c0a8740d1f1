using System.Text.Json.Nodes;

namespace CodeRunner.Server.Tests;

/// <summary>A submission that waits in the queue past the timeout is cancelled: status 13, a message, no charge.</summary>
public sealed class QueueExpiryTests
{
    [Fact]
    public async Task A_submission_that_expires_in_the_queue_is_cancelled_and_not_charged()
    {
        var server = new TestServer(s => s with { Workers = 1, QueueTimeout = TimeSpan.FromSeconds(1) });
        await server.InitializeAsync();
        try
        {
            (string token, _) = await server.SignUpAsync("expiry@example.com");
            string customer = await server.CustomerIdAsync("expiry@example.com");
            using Judge0Client client = server.Client(token);
            JsonObject Job(string code) => new() { ["language_id"] = 71, ["source_code"] = code, ["cpu_time_limit"] = 1, ["wall_time_limit"] = 8 };

            // The only worker is busy for 4 s, so the second waits longer than the 1 s timeout.
            string busy = (string)(await client.CreateAsync(Job("import time\ntime.sleep(4)"))).Json!["token"]!;
            string waiting = (string)(await client.CreateAsync(Job("print('never')"))).Json!["token"]!;

            JsonObject expired = await client.PollAsync(waiting);
            JsonAssert.Same(expired["status"], """{"id":13,"description":"Internal Error"}""");
            expired["message"]!.GetValue<string>().Should().Contain("expired in the queue");
            expired["stdout"].Should().BeNull();
            expired["charge_usd"]!.GetValue<string>().Should().Be("0");

            (await client.PollAsync(busy))["status"]!["id"]!.GetValue<int>().Should().Be(3);
            Ledger ledger = await Ledger.SettledAsync(server.Host.Backend.BaseUrl, customer, expectedCharges: 1);
            ledger.Charges.Keys.Should().BeEquivalentTo($"j0-{busy}:usage");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
