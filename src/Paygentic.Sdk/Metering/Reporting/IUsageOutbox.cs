namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// Durable storage for tickets, reports waiting for delivery and dead letters, keyed by operation id. A report is
/// written here before any delivery attempt and removed only once Paygentic accepted it, so a crash loses nothing.
/// Implementations must make a completed <see cref="UpsertAsync"/> or <see cref="RemoveAsync"/> durable and must be
/// safe for concurrent callers. Use the SQLite outbox (<c>Paygentic.Sdk.Outbox.Sqlite</c>) in production.
/// </summary>
public interface IUsageOutbox
{
    /// <summary>
    /// Opens the store (creating it when absent). Fails with <see cref="UsageOutboxException"/> when the store is
    /// corrupt or from a newer version, without changing it. Called once before any other member.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces entries (by operation id), atomically and durably.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task UpsertAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts an entry unless one with its operation id is already stored (in any state), atomically and durably.
    /// The guard records a new ticket this way, so reusing an operation id can never overwrite an open ticket, an
    /// undelivered report or a dead letter, and the check costs no separate read.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when inserted; <see langword="false"/> (nothing changed) when the id was present.</returns>
    Task<bool> TryAddAsync(OutboxEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes entries by operation id (missing ids are ignored), atomically and durably.</summary>
    /// <param name="operationIds">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RemoveAsync(IReadOnlyList<string> operationIds, CancellationToken cancellationToken);

    /// <summary>Reads one entry, or null.</summary>
    /// <param name="operationId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<OutboxEntry?> GetAsync(string operationId, CancellationToken cancellationToken);

    /// <summary>Reads every entry in a state, oldest first.</summary>
    /// <param name="state">The state.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<OutboxEntry>> LoadAsync(OutboxEntryState state, CancellationToken cancellationToken);

    /// <summary>
    /// Turns delivered reports (pending entries) into tombstones: state <see cref="OutboxEntryState.Delivered"/>, written
    /// at <paramref name="deliveredAt"/> (the retention counts from there), outcome <see cref="ReportState.Delivered"/>.
    /// The default upserts a tombstone per report; a store may instead change the state of the rows in place (no payload
    /// written), as long as <see cref="GetAsync"/> and <see cref="LoadAsync"/> then read them as such tombstones.
    /// </summary>
    /// <param name="reports">The delivered entries, as they are stored.</param>
    /// <param name="deliveredAt">When they were delivered.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task MarkDeliveredAsync(IReadOnlyList<OutboxEntry> reports, DateTimeOffset deliveredAt, CancellationToken cancellationToken)
    {
        var tombstones = new OutboxEntry[reports.Count];
        for (var i = 0; i < tombstones.Length; i++)
        {
            tombstones[i] = EarlierOperations.Tombstone(reports[i], ReportState.Delivered, deliveredAt);
        }

        return UpsertAsync(tombstones, cancellationToken);
    }

    /// <summary>
    /// Removes the entries in a state written before a time (expired tombstones). The default loads and removes them;
    /// a store with an index on (state, time) should do it in one statement.
    /// </summary>
    /// <param name="state">The state.</param>
    /// <param name="before">Entries whose <see cref="OutboxEntry.CreatedAt"/> is earlier are removed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were removed.</returns>
    async Task<int> RemoveWrittenBeforeAsync(OutboxEntryState state, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var expired = new List<string>();
        foreach (var entry in await LoadAsync(state, cancellationToken).ConfigureAwait(false))
        {
            if (entry.CreatedAt < before)
            {
                expired.Add(entry.OperationId);
            }
        }

        if (expired.Count > 0)
        {
            await RemoveAsync(expired, cancellationToken).ConfigureAwait(false);
        }

        return expired.Count;
    }
}
