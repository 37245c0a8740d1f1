namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// The background reporter: delivers completed reports from the outbox (batched for legacy usage, concurrent for
/// meter events), retries transient failures with backoff, and keeps permanent refusals in a dead-letter list.
/// </summary>
public interface IUsageReporter
{
    /// <summary>Reports waiting for delivery (in memory; the outbox holds the same).</summary>
    int PendingCount { get; }

    /// <summary>Raised once for each report that is dead-lettered (on the reporter's thread; keep handlers short).</summary>
    event EventHandler<DeadLetterEventArgs>? DeadLettered;

    /// <summary>
    /// Sends every pending report now, ignoring backoff, and waits until each was delivered, dead-lettered or failed
    /// again (then it stays pending with its next retry scheduled).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (sends in flight finish in the background).</param>
    Task<FlushResult> FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists the dead letters, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<OutboxEntry>> GetDeadLettersAsync(CancellationToken cancellationToken = default);

    /// <summary>Moves a dead letter back to pending (delivery with the same idempotency key). False when there is no such dead letter.</summary>
    /// <param name="operationId">The operation id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> RequeueAsync(string operationId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a dead letter for good. False when there is no such dead letter.</summary>
    /// <param name="operationId">The operation id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> DiscardAsync(string operationId, CancellationToken cancellationToken = default);
}
