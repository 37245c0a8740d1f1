using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paygentic.Emulator;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Subscriptions;

namespace Paygentic.Sdk.Testing;

/// <summary>
/// A fresh, stateful Paygentic emulator for unit and integration tests, in this process without sockets (the default)
/// or on a loopback port (<see cref="PaygenticEmulatorOptions.Port"/>):
/// <c>await using var emulator = await PaygenticEmulator.StartAsync(); using var client = emulator.CreateClient();</c>
/// or, with dependency injection, <c>services.AddPaygentic(emulator)</c>.
/// Each instance has its own ledger, seeded with the default ids (merchant <c>org_demo</c>, metrics
/// <c>bm_basicsub</c>, <c>bm_premiumsub</c>, <c>bm_exectime</c>, plans <c>plan_legacy</c>, <c>plan_standard</c>).
/// </summary>
public sealed class PaygenticEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestServer? _server;
    private readonly HttpClient _admin;

    private PaygenticEmulator(WebApplication app, PaygenticEmulatorOptions options, Uri baseUrl, TestServer? server)
    {
        _app = app;
        _server = server;
        Options = options;
        BaseUrl = baseUrl;
        _admin = new HttpClient(CreateHandler(), disposeHandler: true) { BaseAddress = BaseUrl };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    /// <summary>
    /// Where the emulator answers: <c>http://localhost/</c> in-process (reachable only through <see cref="CreateHandler"/>),
    /// or the real <c>http://127.0.0.1:port/</c> address with <see cref="PaygenticEmulatorOptions.Port"/>.
    /// </summary>
    public Uri BaseUrl { get; }

    /// <summary>Whether the emulator runs in-process without sockets (no <see cref="PaygenticEmulatorOptions.Port"/>).</summary>
    public bool IsInProcess => _server is not null;

    /// <summary>The first (demo) merchant's API key.</summary>
    public string ApiKey => CommandLine.DemoMerchant(_app).ApiKey;

    /// <summary>The first (demo) merchant's id: <c>org_demo</c> with the default seed.</summary>
    public string MerchantId => CommandLine.DemoMerchant(_app).MerchantId;

    /// <summary>The options the emulator runs with.</summary>
    public PaygenticEmulatorOptions Options { get; }

    /// <summary>Starts an emulator: in-process by default, on a loopback port with <see cref="PaygenticEmulatorOptions.Port"/>.</summary>
    /// <param name="options">Transport, faults, auto-pay, a clock or a seed file (null: the defaults).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<PaygenticEmulator> StartAsync(PaygenticEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PaygenticEmulatorOptions();
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "Port must be between 0 and 65535 (0: a free port).");
        }

        var emulatorOptions = new EmulatorOptions
        {
            ApiKey = options.ApiKey,
            SeedPath = options.SeedPath,
            AutoPay = options.AutoPay,
            TimeProvider = options.TimeProvider ?? TimeProvider.System,
            ReservationTtl = options.ReservationTtl,
            OmitErrorCodes = options.OmitErrorCodes,
            Faults = (options.Faults ?? new EmulatorFaults()).ToSettings(),
        };
        var app = EmulatorApp.Build(emulatorOptions, configure: builder =>
        {
            builder.Logging.ClearProviders();
            if (options.Port is { } port)
            {
                builder.WebHost.UseUrls(FormattableString.Invariant($"http://127.0.0.1:{port}"));
            }
            else
            {
                builder.WebHost.UseTestServer();
            }

            options.ConfigureHost?.Invoke(builder);
        });
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (options.Port is null)
        {
            return new PaygenticEmulator(app, options, new Uri("http://localhost/"), app.GetTestServer());
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PaygenticEmulator(app, options, new Uri(address.TrimEnd('/') + "/"), server: null);
    }

    /// <summary>
    /// An HTTP transport into the emulator, for <see cref="PaygenticClient"/> or your own <see cref="HttpClient"/>:
    /// in-process, a handler that calls it directly; on a port, an ordinary socket handler.
    /// </summary>
    public HttpMessageHandler CreateHandler() => _server?.CreateHandler() ?? new SocketsHttpHandler { AllowAutoRedirect = false };

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
    /// <param name="prefundUsd">The wallet funding in US dollars; null for none (standard-billing plans).</param>
    /// <param name="planId">The plan (<c>plan_legacy</c> or <c>plan_standard</c>).</param>
    /// <param name="email">The consumer's email (a fresh one when absent).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<OnboardedCustomer> OnboardCustomerAsync(decimal? prefundUsd = 10m, string planId = "plan_legacy", string? email = null, CancellationToken cancellationToken = default)
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

    /// <summary>Reads the events (<c>POST /v0/events</c>) the emulator received for a customer, de-duplicated by id.</summary>
    /// <param name="customerId">The customer (the events' subject).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The emulator's JSON answer: <c>{ "subject", "events": [...] }</c>.</returns>
    public async Task<JsonElement> GetEventsAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerId);
        using var response = await _admin.GetAsync(new Uri("/_emulator/events/" + Uri.EscapeDataString(customerId), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        return document.RootElement.Clone();
    }

    /// <summary>Turns fault injection on (errors, 429s, latency, aborted connections) with the given settings.</summary>
    /// <param name="faults">The fault rates.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task SetFaultsAsync(EmulatorFaults faults, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(faults);
        using var response = await _admin.PostAsJsonAsync(new Uri("/_emulator/faults", UriKind.Relative), faults.ToSettings(), cancellationToken).ConfigureAwait(false);
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
