using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// Finishes work a shared outbox adopted from a dead replica while this guard runs: its reports go to the reporter,
/// its open tickets through recovery, exactly as a restart of that replica would have done.
/// </summary>
internal sealed class AdoptedWork(ISharedUsageOutbox outbox, UsageReporter reporter, TicketRecovery recovery, string issuerId, ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            IReadOnlyList<OutboxEntry> adopted;
            try
            {
                adopted = await outbox.WaitForAdoptedAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The outbox was closed (disposed before the guard stopped): nothing more will be adopted here.
                MeteringLog.OutboxWriteFailed(logger, "(adoption)", e.GetType().Name);
                return;
            }

            MeteringLog.Adopted(logger, adopted.Count);
            foreach (var entry in adopted)
            {
                try
                {
                    await FinishAsync(entry).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // one adopted entry failing must not stop the others; it stays owned here for the next start
                catch (Exception e)
#pragma warning restore CA1031
                {
                    MeteringLog.OutboxWriteFailed(logger, entry.OperationId, e.GetType().Name);
                }
            }
        }
    }

    private async Task FinishAsync(OutboxEntry entry)
    {
        if (entry is { State: OutboxEntryState.Pending, Report: not null })
        {
            // A report this process already holds (loaded at start in the same moment) must not be queued twice.
            if (!reporter.IsPending(entry.OperationId))
            {
                _ = reporter.Enqueue(entry, wait: false); // no waiter: nobody waits for an adopted report
            }
        }
        else if (entry.State == OutboxEntryState.Authorized && entry.Ticket.IssuerId != issuerId)
        {
            await recovery.RecoverAsync(entry.Ticket).ConfigureAwait(false);
        }
    }
}
