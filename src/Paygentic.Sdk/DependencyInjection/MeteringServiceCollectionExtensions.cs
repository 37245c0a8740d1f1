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
    /// Registers <see cref="IMeteringGuard"/> (and <see cref="IUsageReporter"/>) as a singleton that the host starts and
    /// stops. Needs <c>AddPaygentic(...)</c> and an outbox: <c>.AddSqliteOutbox(path)</c> (package
    /// Paygentic.Sdk.Outbox.Sqlite), or <c>.UseOutbox(_ => new InMemoryUsageOutbox())</c> (package Paygentic.Sdk.Testing) in tests. Options are validated at start.
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
                "The metering guard needs an outbox: call AddMeteringGuard(...).AddSqliteOutbox(\"usage.db\") (package Paygentic.Sdk.Outbox.Sqlite), or UseOutbox(_ => new InMemoryUsageOutbox()) (package Paygentic.Sdk.Testing) in tests."),
            sp.GetRequiredService<IOptions<MeteringOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IMeteringGuard>(sp => sp.GetRequiredService<MeteringGuard>());
        services.TryAddSingleton(sp => sp.GetRequiredService<MeteringGuard>().Reports);
        services.AddHostedService(sp => new MeteringGuardHostedService(sp.GetRequiredService<MeteringGuard>()));
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
