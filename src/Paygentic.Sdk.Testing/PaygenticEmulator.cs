using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Paygentic.Emulator;
using Paygentic.Emulator.Faults;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Subscriptions;

namespace Paygentic.Sdk.Testing;

/// <summary>
/// A fresh, stateful Paygentic emulator running in this process without sockets, for unit and integration tests:
/// <c>await using var emulator = await PaygenticEmulator.StartAsync(); var client = emulator.CreateClient();</c>
/// Each instance has its own ledger, seeded with the default ids (merchant <c>org_demo</c>, metrics
/// <c>bm_basicsub</c>, <c>bm_premiumsub</c>, <c>bm_exectime</c>, plans <c>plan_legacy</c>, <c>plan_standard</c>).
/// </summary>
public sealed class PaygenticEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestServer _server;
    private readonly HttpClient _admin;

    private PaygenticEmulator(WebApplication app, EmulatorOptions options)
    {
        _app = app;
        _server = app.GetTestServer();
        Options = options;
        _admin = new HttpClient(_server.CreateHandler(), disposeHandler: true) { BaseAddress = BaseUrl };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    /// <summary>The base URL the in-process transport answers on (a loopback URL, so plain http is accepted).</summary>
    public Uri BaseUrl { get; } = new("http://localhost/");

    /// <summary>The first (demo) merchant's API key.</summary>
    public string ApiKey => Options.ApiKey ?? Options.Seed?.Merchants.FirstOrDefault()?.ApiKey ?? EmulatorOptions.DefaultApiKey;

    /// <summary>The first (demo) merchant's id: <c>org_demo</c> with the default seed.</summary>
    public string MerchantId => Options.Seed?.Merchants.FirstOrDefault()?.Id ?? EmulatorOptions.DemoMerchantId;

    /// <summary>The options the emulator runs with.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>Starts an emulator; <paramref name="configure"/> can set faults, auto-pay, a fake clock or a seed.</summary>
    /// <param name="configure">Adjusts the emulator's options.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<PaygenticEmulator> StartAsync(Action<EmulatorOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        var options = new EmulatorOptions();
        configure?.Invoke(options);
        var app = EmulatorApp.Build(options, configure: builder =>
        {
            builder.Logging.ClearProviders();
            builder.WebHost.UseTestServer();
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new PaygenticEmulator(app, options);
    }

    /// <summary>An HTTP transport into the emulator, for <see cref="PaygenticClient"/> or your own <see cref="HttpClient"/>.</summary>
    public HttpMessageHandler CreateHandler() => _server.CreateHandler();

    /// <summary>Client options pointing at this emulator, with short retry delays suited to tests.</summary>
    public PaygenticOptions CreateOptions()
    {
        var options = new PaygenticOptions { ApiKey = ApiKey, BaseUrl = BaseUrl, MerchantId = MerchantId };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxRetryAfter = TimeSpan.FromMilliseconds(50);
        return options;
    }

    /// <summary>A client wired to this emulator (dispose it when done).</summary>
    /// <param name="configure">Adjusts the client options.</param>
    /// <param name="timeProvider">The client's clock (optional).</param>
    public PaygenticClient CreateClient(Action<PaygenticOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = CreateOptions();
        configure?.Invoke(options);
        return new PaygenticClient(options, CreateHandler(), loggerFactory: null, timeProvider);
    }

    /// <summary>
    /// Creates a customer with a subscription to <paramref name="planId"/> prefunded with <paramref name="prefundUsd"/>,
    /// and pays its checkout, so the customer can be charged at once.
    /// </summary>
    /// <param name="prefundUsd">The wallet funding in US dollars.</param>
    /// <param name="planId">The plan (<c>plan_legacy</c> or <c>plan_standard</c>).</param>
    /// <param name="email">The consumer's email (a fresh one when absent).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<OnboardedCustomer> OnboardCustomerAsync(decimal prefundUsd = 10m, string planId = "plan_legacy", string? email = null, CancellationToken cancellationToken = default)
    {
        using var client = CreateClient();
        var customer = await client.Customers.CreateAsync(
            new CreateCustomerRequest
            {
                Consumer = new NewConsumer
                {
                    Name = "Test Customer",
                    Email = email ?? $"{Guid.NewGuid():N}@example.com",
                    Address = new Address { Country = "US", State = "CA", ZipCode = "94105" },
                },
            },
            cancellationToken).ConfigureAwait(false);
        var created = await client.Subscriptions.CreateAsync(
            new CreateSubscriptionRequest { Name = "Test " + planId, PlanId = planId, CustomerId = customer.CustomerId, PrefundAmount = prefundUsd },
            cancellationToken).ConfigureAwait(false);
        if (created.Subscription.Payment is PendingSubscriptionPayment pending)
        {
            await PayCheckoutAsync(pending.CheckoutUrl, cancellationToken).ConfigureAwait(false);
        }

        return new OnboardedCustomer(customer.CustomerId, created.Subscription.Id);
    }

    /// <summary>Completes a checkout the emulator issued, as the customer's browser would.</summary>
    /// <param name="checkoutUrl">The subscription's <c>checkoutUrl</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task PayCheckoutAsync(Uri checkoutUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkoutUrl);
        using var response = await _admin.PostAsync(new Uri(checkoutUrl.PathAndQuery, UriKind.Relative), content: null, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Reads one customer's ledger: balance, holds and every charge by idempotency key.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<EmulatorLedger> GetLedgerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        using var response = await _admin.GetAsync(new Uri("/_emulator/ledger/" + Uri.EscapeDataString(customerId), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        return new EmulatorLedger(document.RootElement);
    }

    /// <summary>Turns fault injection on (errors, 429s, latency, aborted connections) with the given settings.</summary>
    /// <param name="faults">The fault rates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task SetFaultsAsync(FaultSettings faults, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(faults);
        using var response = await _admin.PostAsJsonAsync(new Uri("/_emulator/faults", UriKind.Relative), faults, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Turns fault injection off.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task ClearFaultsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _admin.DeleteAsync(new Uri("/_emulator/faults", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Returns the emulator to its seed: no customers, no charges.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _admin.PostAsync(new Uri("/_emulator/reset", UriKind.Relative), content: null, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Stops the emulator.</summary>
    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
