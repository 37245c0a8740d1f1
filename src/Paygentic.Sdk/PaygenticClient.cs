using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Http;
using Paygentic.Sdk.Json;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Usage;
using Refit;

namespace Paygentic.Sdk;

/// <summary>
/// The Paygentic API client. With dependency injection, use <c>services.AddPaygentic(...)</c> and inject
/// <see cref="IPaygenticClient"/>; without it, create one instance and reuse it for the life of the process.
/// </summary>
public sealed class PaygenticClient : IPaygenticClient, IDisposable
{
    private readonly HttpClient? _ownedHttpClient;

    /// <summary>Creates a client that owns its HTTP connection pool.</summary>
    /// <param name="options">Settings; validated here (an invalid option throws naming it).</param>
    public PaygenticClient(PaygenticOptions options)
        : this(options, transport: null)
    {
    }

    /// <summary>
    /// Creates a client over a given transport handler (e.g. an in-process emulator or a recording handler). The
    /// handler is not disposed with the client.
    /// </summary>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="transport">The innermost handler; <see langword="null"/> for a pooled socket handler.</param>
    /// <param name="loggerFactory">Where log lines go (optional).</param>
    /// <param name="timeProvider">The clock for timeouts and backoff (optional; tests pass a fake).</param>
    public PaygenticClient(PaygenticOptions options, HttpMessageHandler? transport, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var pipeline = new HttpPipeline(options, timeProvider ?? TimeProvider.System, loggerFactory, meterFactory: null);

        var outer = pipeline.CreatePipelineHandler();
        var auth = pipeline.CreateAuthenticationHandler();
        outer.InnerHandler = auth;
        auth.InnerHandler = transport is null ? CreateSocketsHandler() : new NonDisposingHandler(transport);
        _ownedHttpClient = new HttpClient(outer, disposeHandler: true) { BaseAddress = options.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };

        var context = pipeline.CreateContext();
        Customers = new CustomersClient(RestService.ForGenerated<ICustomersApi>(_ownedHttpClient, PaygenticJsonContext.Default), context);
        Subscriptions = new SubscriptionsClient(RestService.ForGenerated<ISubscriptionsApi>(_ownedHttpClient, PaygenticJsonContext.Default), context);
        Entitlements = new EntitlementsClient(RestService.ForGenerated<IEntitlementsApi>(_ownedHttpClient, PaygenticJsonContext.Default), context);
        Usage = new UsageClient(RestService.ForGenerated<IUsageApi>(_ownedHttpClient, PaygenticJsonContext.Default), context);
        Events = new EventsClient(RestService.ForGenerated<IEventsApi>(_ownedHttpClient, PaygenticJsonContext.Default), context);
    }

    /// <summary>Used by dependency injection, where the HTTP clients come from <c>IHttpClientFactory</c>.</summary>
    internal PaygenticClient(ICustomersApi customers, ISubscriptionsApi subscriptions, IEntitlementsApi entitlements, IUsageApi usage, IEventsApi events, ClientContext context)
    {
        Customers = new CustomersClient(customers, context);
        Subscriptions = new SubscriptionsClient(subscriptions, context);
        Entitlements = new EntitlementsClient(entitlements, context);
        Usage = new UsageClient(usage, context);
        Events = new EventsClient(events, context);
    }

    /// <inheritdoc />
    public ICustomersClient Customers { get; }

    /// <inheritdoc />
    public ISubscriptionsClient Subscriptions { get; }

    /// <inheritdoc />
    public IEntitlementsClient Entitlements { get; }

    /// <inheritdoc />
    public IUsageClient Usage { get; }

    /// <inheritdoc />
    public IEventsClient Events { get; }

    /// <summary>Releases the connection pool this client owns (none when created by dependency injection).</summary>
    public void Dispose() => _ownedHttpClient?.Dispose();

    /// <summary>
    /// Connections are recycled every few minutes so DNS changes are seen by a long-lived client. Redirects are not
    /// followed: a usage report re-sent to wherever a 3xx points could be recorded, or read, by another origin; the
    /// answer becomes <see cref="PaygenticUnexpectedRedirectException"/> instead. No automatic
    /// decompression layer: it asked for compression on every call and cost each one about 13 µs of CPU on loopback (15 %
    /// of a usage create), for answers of a few hundred bytes. The one large answer, the batch's, is asked for
    /// compressed by that call alone and inflated by <see cref="ApiInvoker"/>.
    /// </summary>
    internal static SocketsHttpHandler CreateSocketsHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
    };

    /// <summary>Keeps a caller-owned transport alive when the client is disposed.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
            // The transport belongs to the caller: release this wrapper only, never the inner handler.
            base.Dispose(false);
        }
    }
}
