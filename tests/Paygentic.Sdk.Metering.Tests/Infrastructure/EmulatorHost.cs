using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paygentic.Emulator;

namespace Paygentic.Sdk.Metering.Tests.Infrastructure;

/// <summary>The emulator in-process (TestServer, no sockets) or on real Kestrel at 127.0.0.1:0, with auto-pay on.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    public const string ApiKey = EmulatorOptions.DefaultApiKey;
    public const string Merchant = EmulatorOptions.DemoMerchantId;

    private readonly WebApplication _app;

    private EmulatorHost(WebApplication app, Uri baseUrl, HttpMessageHandler? handler)
    {
        _app = app;
        BaseUrl = baseUrl;
        Handler = handler;
        Admin = handler is null ? new HttpClient { BaseAddress = baseUrl } : new HttpClient(handler, disposeHandler: false) { BaseAddress = baseUrl };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    public Uri BaseUrl { get; }

    /// <summary>The in-process transport (null on Kestrel).</summary>
    public HttpMessageHandler? Handler { get; }

    /// <summary>Raw calls (set-up and inspection), authenticated as the demo merchant.</summary>
    public HttpClient Admin { get; }

    public static async Task<EmulatorHost> StartAsync(bool kestrel = false, Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { AutoPay = true };
        configure?.Invoke(options);
        var app = EmulatorApp.Build(options, configure: builder =>
        {
            builder.Logging.ClearProviders();
            if (kestrel)
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
            }
            else
            {
                builder.WebHost.UseTestServer();
            }
        });
        await app.StartAsync();
        if (kestrel)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            return new EmulatorHost(app, new Uri(address), null);
        }

        return new EmulatorHost(app, new Uri("http://127.0.0.1/"), app.GetTestServer().CreateHandler());
    }

    public static PaygenticOptions ClientOptions(Uri baseUrl) => new()
    {
        ApiKey = ApiKey,
        BaseUrl = baseUrl,
        MerchantId = Merchant,
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(30),
        Retry = { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), MaxRetryAfter = TimeSpan.FromMilliseconds(50) },
    };

    /// <summary>A client over this emulator (the caller disposes it).</summary>
    public PaygenticClient NewClient(Action<PaygenticOptions>? configure = null)
    {
        var options = ClientOptions(BaseUrl);
        configure?.Invoke(options);
        return new PaygenticClient(options, Handler);
    }

    /// <summary>A customer with an active, paid subscription.</summary>
    public async Task<string> CustomerAsync(string? prefundUsd = "10.00", string plan = "plan_legacy")
    {
        using var created = await Admin.PostAsJsonAsync("/v0/customers", new
        {
            merchantId = Merchant,
            consumer = new
            {
                name = "Metering Test",
                email = $"{Guid.NewGuid():N}@example.com",
                address = new { country = "US", state = "CA", zipCode = "94105" },
            },
        });
        var customer = await ReadAsync(created, HttpStatusCode.Created);
        var customerId = (string)customer["customerId"]!;
        using var subscribed = await Admin.PostAsJsonAsync("/v0/subscriptions", new
        {
            name = "Sub " + Guid.NewGuid().ToString("N"),
            planId = plan,
            customerId,
            startedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            prefundAmount = prefundUsd,
        });
        await ReadAsync(subscribed, HttpStatusCode.Created);
        return customerId;
    }

    /// <summary>A customer with no subscription.</summary>
    public async Task<string> BareCustomerAsync()
    {
        using var created = await Admin.PostAsJsonAsync("/v0/customers", new
        {
            merchantId = Merchant,
            consumer = new { name = "Bare", email = $"{Guid.NewGuid():N}@example.com", address = new { country = "US", state = "CA", zipCode = "94105" } },
        });
        return (string)(await ReadAsync(created, HttpStatusCode.Created))["customerId"]!;
    }

    public async Task<JsonNode> LedgerAsync(string customerId)
    {
        using var response = await Admin.GetAsync("/_emulator/ledger/" + customerId);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Charges by idempotency key (each key must appear once).</summary>
    public async Task<List<(string Key, long Amount)>> ChargesAsync(string customerId)
    {
        var ledger = await LedgerAsync(customerId);
        return ledger["charges"]!.AsArray().Select(c => ((string)c!["idempotencyKey"]!, (long)c["amount"]!)).ToList();
    }

    public async Task<JsonNode> EventsAsync(string customerId)
    {
        using var response = await Admin.GetAsync("/_emulator/events/" + customerId);
        return await ReadAsync(response, HttpStatusCode.OK);
    }

    public async Task SetFaultsAsync(object settings)
    {
        using var response = await Admin.PostAsJsonAsync("/_emulator/faults", settings);
        await ReadAsync(response, HttpStatusCode.OK);
    }

    public async Task ClearFaultsAsync()
    {
        using var response = await Admin.DeleteAsync("/_emulator/faults");
        response.IsSuccessStatusCode.Should().BeTrue();
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(expected, text);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
