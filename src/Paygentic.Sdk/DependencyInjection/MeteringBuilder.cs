using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.DependencyInjection;

/// <summary>Chooses the metering guard's outbox.</summary>
public sealed class MeteringBuilder
{
    internal MeteringBuilder(IServiceCollection services) => Services = services ?? throw new ArgumentNullException(nameof(services));

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
}
