using Microsoft.Extensions.Logging;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// The dead letters: reports refused for good (or too old to replay), kept in the outbox for a person to requeue or
/// discard; counted for the gauge and announced through <see cref="DeadLettered"/>.
/// </summary>
internal sealed class DeadLetterList(IUsageOutbox outbox, TimeProvider time, ILogger logger, Action<OutboxEntry> requeue)
{
    private int _count;

    public event EventHandler<DeadLetterEventArgs>? DeadLettered;

    public int Count => Volatile.Read(ref _count);

    public async Task LoadCountAsync(CancellationToken cancellationToken) =>
        Volatile.Write(ref _count, (await outbox.LoadAsync(OutboxEntryState.DeadLettered, cancellationToken).ConfigureAwait(false)).Count);

    /// <summary>Counts and announces a report just dead-lettered (already in the outbox as one).</summary>
    public void Added(OutboxEntry letter)
    {
        Interlocked.Increment(ref _count);
        try
        {
            DeadLettered?.Invoke(this, new DeadLetterEventArgs(letter));
        }
#pragma warning disable CA1031 // a subscriber's failure must not stop delivery of other reports
        catch (Exception e)
#pragma warning restore CA1031
        {
            MeteringLog.LoopFailed(logger, "DeadLettered handler threw " + e.GetType().Name);
        }
    }

    public Task<IReadOnlyList<OutboxEntry>> GetAsync(CancellationToken cancellationToken) =>
        outbox.LoadAsync(OutboxEntryState.DeadLettered, cancellationToken);

    public async Task<bool> RequeueAsync(string operationId, CancellationToken cancellationToken)
    {
        Guard.NotBlank(operationId);
        if (await outbox.GetAsync(operationId, cancellationToken).ConfigureAwait(false) is not { State: OutboxEntryState.DeadLettered, Report: not null } dead)
        {
            return false;
        }

        var requeued = dead with
        {
            State = OutboxEntryState.Pending,
            RequeuedAt = time.GetUtcNow(),
            Attempts = 0,
            DeadLetterReason = null,
            DeadLetteredAt = null,
        };
        await outbox.UpsertAsync([requeued], cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _count);
        requeue(requeued);
        return true;
    }

    public async Task<bool> DiscardAsync(string operationId, CancellationToken cancellationToken)
    {
        Guard.NotBlank(operationId);
        if (await outbox.GetAsync(operationId, cancellationToken).ConfigureAwait(false) is not { State: OutboxEntryState.DeadLettered })
        {
            return false;
        }

        await outbox.RemoveAsync([operationId], cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _count);
        return true;
    }
}
