using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.DependencyInjection;

/// <summary>Registers the metering guard: <c>services.AddPaygentic(...).AddMeteringGuard(...).AddSqliteOutbox("usage.db")</c>.</summary>
public static class MeteringServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IMeteringGuard"/> (and <see cref="IUsageReporter"/>) as a singleton that also runs as a hosted
    /// service. Needs <c>AddPaygentic(...)</c> and an outbox: <c>.AddSqliteOutbox(path)</c> (package
    /// Paygentic.Sdk.Outbox.Sqlite), or <see cref="MeteringBuilder.UseInMemoryOutbox"/> in tests. Options are validated at start.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    public static MeteringBuilder AddMeteringGuard(this IServiceCollection services, Action<MeteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<MeteringOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MeteringOptions>, MeteringOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new MeteringGuard(
            sp.GetRequiredService<IPaygenticClient>(),
            sp.GetService<IUsageOutbox>() ?? throw new InvalidOperationException(
                "The metering guard needs an outbox: call AddMeteringGuard(...).AddSqliteOutbox(\"usage.db\") (package Paygentic.Sdk.Outbox.Sqlite), or UseInMemoryOutbox() in tests."),
            sp.GetRequiredService<IOptions<MeteringOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IMeteringGuard>(sp => sp.GetRequiredService<MeteringGuard>());
        services.TryAddSingleton(sp => sp.GetRequiredService<MeteringGuard>().Reports);
        services.AddHostedService(sp => sp.GetRequiredService<MeteringGuard>());
        return new MeteringBuilder(services);
    }

    /// <summary>Registers the guard with options bound from <paramref name="configuration"/> (e.g. the <c>Paygentic:Metering</c> section).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section.</param>
    public static MeteringBuilder AddMeteringGuard(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddMeteringGuard(options => MeteringConfigurationBinder.Bind(configuration, options));
    }
}

/// <summary>Chooses the metering guard's outbox.</summary>
public sealed class MeteringBuilder
{
    /// <summary>Creates a builder over a service collection.</summary>
    /// <param name="services">The service collection.</param>
    public MeteringBuilder(IServiceCollection services) => Services = services ?? throw new ArgumentNullException(nameof(services));

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses a custom outbox (replacing any registered one).</summary>
    /// <param name="factory">Creates the outbox (a singleton).</param>
    public MeteringBuilder UseOutbox(Func<IServiceProvider, IUsageOutbox> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IUsageOutbox>();
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>
    /// Uses <see cref="InMemoryUsageOutbox"/>. <b>Tests only</b>: reports waiting for delivery are lost if the process
    /// dies. Production code uses <c>AddSqliteOutbox</c>.
    /// </summary>
    public MeteringBuilder UseInMemoryOutbox() => UseOutbox(_ => new InMemoryUsageOutbox());
}
