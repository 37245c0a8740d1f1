using Microsoft.Extensions.Hosting;
using Paygentic.Sdk.Metering;

namespace Paygentic.Sdk.DependencyInjection;

/// <summary>
/// Starts the guard with the host (opens the outbox, recovers unfinished tickets) and stops it with the host (delivers
/// what it can and waits for sends in flight, bounded by the host's shutdown token). Internal: users see the guard.
/// </summary>
internal sealed class MeteringGuardHostedService(MeteringGuard guard) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => guard.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => guard.StopAsync(cancellationToken);
}
