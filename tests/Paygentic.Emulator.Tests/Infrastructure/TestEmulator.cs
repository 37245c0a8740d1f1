using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Paygentic.Sdk.Testing;

namespace Paygentic.Emulator.Tests.Infrastructure;

/// <summary>The Testing package's emulator with a fake clock, plus the raw wire calls the emulator's own tests need.</summary>
public sealed class TestEmulator : IAsyncDisposable
{
    public const string DemoKey = "sk_test_emulator";
    public const string OtherKey = "sk_test_other";
    public static readonly DateTimeOffset Start = new(2026, 4, 18, 12, 0, 0, TimeSpan.Zero);

    private readonly PaygenticEmulator emulator;
    private int keys;

    private TestEmulator(PaygenticEmulator emulator, FakeTimeProvider time)
    {
        this.emulator = emulator;
        Time = time;
        Client = NewClient(DemoKey);
    }

    /// <summary>The real socket address when started with <c>kestrel: true</c>.</summary>
    public Uri? Address => emulator.IsInProcess ? null : emulator.BaseUrl;

    public FakeTimeProvider Time { get; }

    /// <summary>Authenticated as the demo merchant.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// The Testing package's emulator with a fake clock: in-process, or with <paramref name="kestrel"/> on a real
    /// socket at 127.0.0.1, port 0. With <paramref name="remoteClient"/>, every request appears to come from that address.
    /// </summary>
    public static async Task<TestEmulator> StartAsync(Action<PaygenticEmulatorOptions>? configure = null, bool kestrel = false, IPAddress? remoteClient = null)
    {
        var time = new FakeTimeProvider(Start);
        var options = new PaygenticEmulatorOptions { TimeProvider = time, Port = kestrel ? 0 : null };
        configure?.Invoke(options);
        if (remoteClient is not null)
        {
            options.ConfigureHost = builder => builder.Services.AddSingleton<IStartupFilter>(new RemoteClientStartupFilter(remoteClient));
        }

        return new TestEmulator(await PaygenticEmulator.StartAsync(options), time);
    }

    public HttpClient NewClient(string? apiKey)
    {
        var client = emulator.IsInProcess
            ? new HttpClient(emulator.CreateHandler()) { BaseAddress = emulator.BaseUrl }
            : new HttpClient { BaseAddress = emulator.BaseUrl, Timeout = TimeSpan.FromSeconds(20) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public string NewKey(string prefix = "key") => $"{prefix}-{Interlocked.Increment(ref keys)}";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty body");
    }

    public async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, object? body = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string text ? Json(text) : JsonContent.Create(body);
        }

        using var response = await (client ?? Client).SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, raw.Length == 0 ? new JsonObject() : JsonNode.Parse(raw)!);
    }

    public Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, object? body = null, HttpClient? client = null) =>
        SendAsync(HttpMethod.Post, path, body, client);

    public Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string path, HttpClient? client = null) =>
        SendAsync(HttpMethod.Get, path, null, client);

    public async Task<string> CreateCustomerAsync(string? email = null, string? externalId = null)
    {
        var (status, body) = await PostAsync("/v0/customers", new
        {
            merchantId = "org_demo",
            externalId,
            consumer = new
            {
                name = "Test Customer",
                email = email ?? $"{Guid.NewGuid():N}@example.com",
                address = new { country = "US", state = "CA", zipCode = "94105" },
            },
        });
        status.Should().Be(HttpStatusCode.Created, body.ToJsonString());
        return (string)body["customerId"]!;
    }

    /// <summary>A customer with an active legacy subscription whose checkout (if any) has been paid.</summary>
    public async Task<(string CustomerId, string SubscriptionId)> FundedCustomerAsync(string prefundUsd = "10.00", string plan = "plan_legacy")
    {
        var customer = await CreateCustomerAsync();
        var subscription = await SubscribeAsync(customer, prefundUsd, plan);
        if ((string?)subscription["payment"]?["status"] == "pending")
        {
            using var paid = await Client.PostAsync((string)subscription["payment"]!["checkoutUrl"]!, null);
            paid.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        return (customer, (string)subscription["id"]!);
    }

    public async Task<JsonNode> SubscribeAsync(string customerId, string? prefundUsd, string plan = "plan_legacy")
    {
        var (status, body) = await PostAsync("/v0/subscriptions", new
        {
            name = "Sub " + Guid.NewGuid().ToString("N"),
            planId = plan,
            customerId,
            startedAt = Start,
            prefundAmount = prefundUsd,
        });
        status.Should().Be(HttpStatusCode.Created, body.ToJsonString());
        return body;
    }

    public Task<(HttpStatusCode Status, JsonNode Body)> ReserveAsync(string customerId, object[] lines, int? maxUses = null, HttpClient? client = null) =>
        PostAsync("/v0/entitlements", new { customerId, merchantId = "org_demo", entitlementData = lines, maxUses }, client);

    public Task<(HttpStatusCode Status, JsonNode Body)> UsageAsync(
        string customerId, string key, string metric = "bm_basicsub", long quantity = 1, string? entitlementId = null, string? price = null, HttpClient? client = null) =>
        PostAsync("/v0/usage", UsageBody(customerId, key, metric, quantity, entitlementId, price), client);

    public static object UsageBody(string customerId, string key, string metric = "bm_basicsub", long quantity = 1, string? entitlementId = null, string? price = null) => new
    {
        customerId,
        merchantId = "org_demo",
        idempotencyKey = key,
        timestamp = Start,
        entitlementId,
        properties = new[] { new { billableMetricId = metric, quantity, price } },
    };

    public async Task<JsonNode> LedgerAsync(string customerId)
    {
        var (status, body) = await GetAsync("/_emulator/ledger/" + customerId);
        status.Should().Be(HttpStatusCode.OK);
        return body;
    }

    public async Task<long> BalanceAsync(string customerId) => (long)(await LedgerAsync(customerId))["balance"]!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await emulator.DisposeAsync();
    }
}

/// <summary>Money in the tests' own words: USD → nanodollars.</summary>
public static class Nanos
{
    public static long Usd(decimal usd) => (long)(usd * 1_000_000_000m);
}
