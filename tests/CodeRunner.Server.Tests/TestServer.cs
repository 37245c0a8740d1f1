using System.Net;
using System.Text.Json.Nodes;
using CodeRunner.Server.Configuration;
using CodeRunner.Server.Hosting;
using CodeRunner.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CodeRunner.Server.Tests;

/// <summary>
/// The server in-process on a loopback port with its embedded emulator, plus what a test needs around it: sign-up over
/// HTTP, paying the emulator's checkout as a browser would, and the emulator's ledger (exact nanodollars).
/// </summary>
public sealed class TestServer : IAsyncLifetime
{
    private readonly Func<ServerSettings, ServerSettings> _configure;
    private ServerHost? _host;

    public TestServer()
        : this(s => s)
    {
    }

    internal TestServer(Func<ServerSettings, ServerSettings> configure) => _configure = configure;

    public Uri Url => _host!.Url;

    internal ServerHost Host => _host!;

    public async Task InitializeAsync()
    {
        var settings = new ServerSettings { Workers = 2, CreateDemoAccount = false, DataDirectory = null };
        _host = await ServerHost.StartAsync(_configure(settings), ["--urls", "http://127.0.0.1:0"], CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    internal Judge0Client Client(string? token) => new(Url, token);

    /// <summary>Signs up over HTTP; returns the token and the sign-up answer.</summary>
    internal async Task<(string Token, JsonObject Answer)> SignUpAsync(string email, bool pay = true)
    {
        using Judge0Client anonymous = Client(null);
        Reply reply = await anonymous.SendAsync(HttpMethod.Post, "/accounts", new JsonObject { ["name"] = "Test " + email, ["email"] = email, ["address"] = new JsonObject { ["country"] = "US", ["state"] = "CA", ["zip_code"] = "94105" } }.ToJsonString());
        reply.Status.Should().Be(HttpStatusCode.Created, reply.Text);
        JsonObject answer = reply.Object;
        if (pay)
        {
            await PayAsync(new Uri((string)answer["checkout_url"]!));
        }

        return ((string)answer["api_token"]!, answer);
    }

    /// <summary>Pays the emulator's checkout the way its page's Pay button does (a form POST).</summary>
    internal static async Task PayAsync(Uri checkout)
    {
        using var http = new HttpClient();
        using HttpResponseMessage paid = await http.PostAsync(checkout, null);
        paid.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    internal async Task<string> CustomerIdAsync(string email) =>
        (await Host.App.Services.GetRequiredService<AccountStore>().FindByEmailAsync(email, CancellationToken.None))!.CustomerId!;

    internal Task<Ledger> LedgerAsync(string customerId) => Ledger.ReadAsync(Host.Backend.BaseUrl, customerId);
}

/// <summary>One customer's wallet in the emulator's admin ledger, in nanodollars.</summary>
internal sealed record Ledger(long Prefunds, long Balance, long Held, long Charged, IReadOnlyDictionary<string, long> Charges, int ChargeRows, bool InvariantHolds)
{
    public static async Task<Ledger> ReadAsync(Uri emulator, string customerId)
    {
        using var http = new HttpClient { BaseAddress = emulator };
        JsonNode ledger = JsonNode.Parse(await http.GetStringAsync("/_emulator/ledger/" + customerId))!;
        var charges = new Dictionary<string, long>(StringComparer.Ordinal);
        JsonArray rows = ledger["charges"]?.AsArray() ?? [];
        foreach (JsonNode? charge in rows)
        {
            charges[(string)charge!["idempotencyKey"]!] = (long)charge["amount"]!;
        }

        return new Ledger((long)ledger["prefunds"]!, (long)ledger["balance"]!, (long)ledger["held"]!, (long)ledger["charged"]!, charges, rows.Count, (bool)ledger["invariant"]!["holds"]!);
    }

    /// <summary>Polls until the expected reports were delivered (the server sends them in the background).</summary>
    public static async Task<Ledger> SettledAsync(Uri emulator, string customerId, int expectedCharges)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Ledger ledger = await ReadAsync(emulator, customerId);
            if (ledger.Charges.Count >= expectedCharges)
            {
                return ledger;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"the ledger should settle ({ledger})");
            await Task.Delay(100);
        }
    }
}
