using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paygentic.Emulator;

namespace CodeRunner.Server.Tests;

/// <summary>
/// kill -9 with submissions done, running and queued; after a restart on the same data every token answers, every
/// submission ends, and each is charged exactly once (the emulator, in this process, keeps the ledger throughout).
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private WebApplication? _emulator;
    private Uri? _emulatorUrl;
    private readonly string _data = Directory.CreateTempSubdirectory("coderunner-restart-").FullName;

    public async Task InitializeAsync()
    {
        _emulator = EmulatorApp.Build(new EmulatorOptions(), [], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
        });
        await _emulator.StartAsync();
        _emulatorUrl = new Uri(_emulator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await _emulator!.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task After_kill_9_and_restart_every_submission_runs_and_is_charged_exactly_once()
    {
        const int count = 6;
        var tokens = new List<string>();
        string userToken;
        string customerId;
        using (ServerProcess first = await ServerProcess.StartAsync(_emulatorUrl!, _data))
        {
            var server = new TestServerClient(first.Url);
            (userToken, customerId) = await server.SignUpAndPayAsync("survivor@example.com");
            using Judge0Client client = new(first.Url, userToken);
            for (int i = 0; i < count; i++)
            {
                Reply created = await client.CreateAsync(new JsonObject
                {
                    ["language_id"] = 71,
                    ["source_code"] = $"import time\ntime.sleep(0.4)\nprint({i})",
                    ["cpu_time_limit"] = 1,
                    ["wall_time_limit"] = 5,
                });
                created.Status.Should().Be(HttpStatusCode.Created, created.Text);
                tokens.Add((string)created.Json!["token"]!);
            }

            // Kill while the first is done and the rest are running or queued (one worker).
            await client.PollAsync(tokens[0]);
            first.KillHard();
        }

        using ServerProcess second = await ServerProcess.StartAsync(_emulatorUrl!, _data);
        using Judge0Client again = new(second.Url, userToken);
        (await again.SendAsync(HttpMethod.Get, "/account")).Status.Should().Be(HttpStatusCode.OK, "the token survives the restart");
        decimal billedUsd = 0m;
        for (int i = 0; i < count; i++)
        {
            JsonObject done = await again.PollAsync(tokens[i]);
            done["status"]!["id"]!.GetValue<int>().Should().Be(3, second.Output);
            done["stdout"]!.GetValue<string>().Should().Be($"{i}\n");
            billedUsd += decimal.Parse((string)done["charge_usd"]!, CultureInfo.InvariantCulture);
        }

        Ledger ledger = await Ledger.SettledAsync(_emulatorUrl!, customerId, expectedCharges: count);
        ledger.ChargeRows.Should().Be(count, "no submission is charged twice");
        ledger.Charges.Keys.Should().BeEquivalentTo(tokens.Select(t => $"j0-{t}:usage"));
        ledger.Charged.Should().Be((long)(billedUsd * 1_000_000_000m));
        ledger.InvariantHolds.Should().BeTrue();
        JsonNode account = (await again.SendAsync(HttpMethod.Get, "/account")).Json!;
        account["spend_nanodollars"]!.GetValue<long>().Should().Be(ledger.Charged);
    }
}

/// <summary>Sign-up and checkout over HTTP against a server started elsewhere (no in-process access to its store).</summary>
internal sealed class TestServerClient(Uri server)
{
    public async Task<(string Token, string CustomerId)> SignUpAndPayAsync(string email)
    {
        using Judge0Client anonymous = new(server, null);
        Reply signUp = await anonymous.SendAsync(HttpMethod.Post, "/accounts", new JsonObject { ["name"] = "Restart", ["email"] = email }.ToJsonString());
        signUp.Status.Should().Be(HttpStatusCode.Created, signUp.Text);
        await TestServer.PayAsync(new Uri((string)signUp.Json!["checkout_url"]!));
        using Judge0Client user = new(server, (string)signUp.Json!["api_token"]!);
        string customerId = (string)(await user.SendAsync(HttpMethod.Get, "/account")).Json!["customer_id"]!;
        return ((string)signUp.Json!["api_token"]!, customerId);
    }
}
