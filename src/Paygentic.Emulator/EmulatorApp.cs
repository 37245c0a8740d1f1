using Paygentic.Emulator.Admin;
using Paygentic.Emulator.Customers;
using Paygentic.Emulator.Entitlements;
using Paygentic.Emulator.Events;
using Paygentic.Emulator.Faults;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.State;
using Paygentic.Emulator.Subscriptions;
using Paygentic.Emulator.Usage;

namespace Paygentic.Emulator;

/// <summary>Builds the emulator as an ASP.NET Core application that callers host however they like.</summary>
public static class EmulatorApp
{
    /// <summary>
    /// Builds (does not start) an emulator. Without a configured URL (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) it binds
    /// <see cref="EmulatorOptions.DefaultUrl"/> on loopback. <paramref name="configure"/> runs last on the builder,
    /// e.g. to call <c>WebHost.UseTestServer()</c> or <c>WebHost.UseUrls("http://127.0.0.1:0")</c>.
    /// </summary>
    /// <param name="options">Seed, key, auto-pay, clock, reservation TTL and faults.</param>
    /// <param name="args">Host arguments such as <c>--urls</c>; emulator switches are parsed by the command line, not here.</param>
    /// <param name="configure">Last say over the builder (server, logging, services).</param>
    /// <returns>The application; start it with <c>StartAsync</c> or <c>RunAsync</c>.</returns>
    public static WebApplication Build(EmulatorOptions options, string[]? args = null, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ReservationTtl <= TimeSpan.Zero)
        {
            throw new ArgumentException("ReservationTtl must be positive.", nameof(options));
        }

        if (options.Faults.Problem() is { } problem)
        {
            throw new ArgumentException("Faults: " + problem + ".", nameof(options));
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(EmulatorOptions.DefaultUrl);
        }

        // Per-request framework logs would cost more than the requests themselves.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Services.AddSingleton(new EmulatorRuntime(options));
        configure?.Invoke(builder);

        var app = builder.Build();
        var runtime = app.Services.GetRequiredService<EmulatorRuntime>();
        app.UseMiddleware<LoopbackOnlyMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        app.UseMiddleware<BearerAuthMiddleware>();

        CustomerEndpoints.Map(app, runtime);
        SubscriptionEndpoints.Map(app, runtime);
        ReservationEndpoints.Map(app, runtime);
        FeatureEntitlementEndpoints.Map(app, runtime);
        UsageEndpoints.Map(app, runtime);
        EventEndpoints.Map(app, runtime);
        CheckoutEndpoints.Map(app, runtime);
        PortalEndpoints.Map(app, runtime);
        AdminEndpoints.Map(app, runtime);
        return app;
    }
}
