namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// An outbox that several processes share (e.g. PostgreSQL behind a fleet of replicas). Each process sees through
/// <see cref="IUsageOutbox.LoadAsync"/> only its own open tickets and pending reports (those it wrote, and those it
/// adopted from a process whose lease expired), so replicas never recover or send each other's work and their
/// deliveries are disjoint; dead letters, tombstones and reservations are shared. A single-process outbox (SQLite,
/// in-memory) does not implement it.
/// </summary>
/// <remarks>
/// Work adopted before the guard started is returned by <see cref="IUsageOutbox.LoadAsync"/> like the process's own.
/// Work adopted while it runs reaches it through <see cref="WaitForAdoptedAsync"/>: the guard recovers the tickets (as
/// <see cref="MeteringOptions.Recovery"/> decides) and delivers the reports.
/// </remarks>
public interface ISharedUsageOutbox : IUsageOutbox
{
    /// <summary>
    /// Waits until this process has adopted work of processes whose lease expired, and returns it: open tickets
    /// (<see cref="OutboxEntryState.Authorized"/>) and reports waiting for delivery (<see cref="OutboxEntryState.Pending"/>),
    /// now owned by this process. The guard calls it in a loop once started; an outbox adopts in the background only
    /// while someone waits, since adopted work nobody takes would wait for the next start.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait (the guard is stopping).</param>
    /// <returns>The adopted entries, oldest first (never empty).</returns>
    Task<IReadOnlyList<OutboxEntry>> WaitForAdoptedAsync(CancellationToken cancellationToken);
}
