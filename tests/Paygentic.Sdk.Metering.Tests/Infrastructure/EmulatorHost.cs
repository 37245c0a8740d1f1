using System.Globalization;
using System.Text.Json.Nodes;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Metering.Tests.Infrastructure;

/// <summary>
/// The Testing package's emulator (in-process, or on a loopback port for child processes), with auto-pay on, and the
/// shapes these tests assert on.
/// </summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private EmulatorHost(PaygenticEmulator emulator) => Emulator = emulator;

    public PaygenticEmulator Emulator { get; }

    public Uri BaseUrl => Emulator.BaseUrl;

    /// <summary>In-process by default; <paramref name="kestrel"/> puts it on 127.0.0.1 at a free port.</summary>
    public static async Task<EmulatorHost> StartAsync(bool kestrel = false) =>
        new(await PaygenticEmulator.StartAsync(new PaygenticEmulatorOptions { AutoPay = true, Port = kestrel ? 0 : null }));

    /// <summary>Client options for the demo merchant at <paramref name="baseUrl"/> (also used by child processes).</summary>
    public static PaygenticOptions ClientOptions(Uri baseUrl) => new()
    {
        ApiKey = PaygenticEmulatorOptions.DefaultApiKey,
        BaseUrl = baseUrl,
        MerchantId = PaygenticEmulatorOptions.DemoMerchantId,
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(30),
        Retry = { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), MaxRetryAfter = TimeSpan.FromMilliseconds(50) },
    };

    /// <summary>A client over this emulator (the caller disposes it).</summary>
    public PaygenticClient NewClient(Action<PaygenticOptions>? configure = null)
    {
        var options = ClientOptions(BaseUrl);
        configure?.Invoke(options);
        return new PaygenticClient(options, Emulator.IsInProcess ? Emulator.CreateHandler() : null);
    }

    /// <summary>A customer with an active, paid subscription (no prefund when <paramref name="prefundUsd"/> is null).</summary>
    public async Task<string> CustomerAsync(string? prefundUsd = "10.00", string plan = "plan_legacy") =>
        (await Emulator.OnboardCustomerAsync(prefundUsd is null ? null : decimal.Parse(prefundUsd, CultureInfo.InvariantCulture), plan)).CustomerId;

    /// <summary>A customer with no subscription.</summary>
    public async Task<string> BareCustomerAsync()
    {
        using var client = NewClient();
        var created = await client.Customers.CreateAsync(new CreateCustomerRequest
        {
            Consumer = new NewConsumer { Name = "Bare", Email = $"{Guid.NewGuid():N}@example.com", Address = new Address { Country = "US", State = "CA", ZipCode = "94105" } },
        });
        return created.CustomerId;
    }

    public async Task<JsonNode> LedgerAsync(string customerId) =>
        JsonNode.Parse((await Emulator.GetLedgerAsync(customerId)).Raw.GetRawText())!;

    /// <summary>Charges by idempotency key (each key must appear once).</summary>
    public async Task<List<(string Key, long Amount)>> ChargesAsync(string customerId) =>
        (await Emulator.GetLedgerAsync(customerId)).Charges.Select(c => (c.IdempotencyKey, c.Amount.Value)).ToList();

    public async Task<JsonNode> EventsAsync(string customerId) =>
        JsonNode.Parse((await Emulator.GetEventsAsync(customerId)).GetRawText())!;

    public Task SetFaultsAsync(EmulatorFaults faults) => Emulator.SetFaultsAsync(faults);

    public Task ClearFaultsAsync() => Emulator.ClearFaultsAsync();

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
