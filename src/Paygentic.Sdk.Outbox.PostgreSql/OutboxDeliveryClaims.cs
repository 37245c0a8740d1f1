namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Delivery claims on pending reports. A replica claims a batch before sending it, so replicas send disjoint batches;
/// a claim lapses after <see cref="PostgreSqlOutboxOptions.ClaimTimeout"/> so a claimer that died or hung mid-delivery
/// gives its rows back. Claim times use the database clock (<c>now()</c>), shared by every replica, so one replica's
/// skewed clock cannot steal a live claim or keep a dead one.
/// </summary>
public sealed class OutboxDeliveryClaims
{
    private readonly StoreContext _context;
    private readonly string _claim;
    private readonly string _release;
    private readonly string _complete;

    internal OutboxDeliveryClaims(StoreContext context)
    {
        _context = context;
        var s = context.Schema;

        // FOR UPDATE SKIP LOCKED: rows another replica is claiming right now are skipped, not waited for, so
        // concurrent claimers get disjoint rows without blocking. Only this instance's reports, or those of an owner
        // with no live lease, are claimable: a live replica's reports stay its own.
        _claim = $"""
            WITH c AS (
                SELECT e.operation_id FROM {s}.entries e
                WHERE e.state = 'pending'
                  AND (e.claimed_until IS NULL OR e.claimed_until <= now())
                  AND (e.owner_instance_id = $1
                       OR NOT EXISTS (SELECT 1 FROM {s}.instances i
                                      WHERE i.id = e.owner_instance_id AND i.lease_expires_at > now()))
                ORDER BY e.created_at, e.operation_id
                LIMIT $2
                FOR UPDATE OF e SKIP LOCKED)
            UPDATE {s}.entries e SET claimed_by = $1, claimed_until = now() + $3
            FROM c WHERE e.operation_id = c.operation_id
            RETURNING {EntryRows.AliasedColumns}
            """;
        _release = $"""
            UPDATE {s}.entries SET claimed_by = NULL, claimed_until = NULL
            WHERE operation_id = ANY($1) AND claimed_by = $2
            """;

        // Removing the delivered rows and writing their tombstones is one statement, so one transaction: a crash
        // leaves either the pending report (sent again with the same idempotency key) or the tombstone, never neither.
        _complete = $"""
            WITH gone AS (DELETE FROM {s}.entries WHERE operation_id = ANY($1))
            INSERT INTO {s}.tombstones (operation_id, idempotency_key, quantities, delivered_at)
            SELECT u.id, u.key, u.quantities::jsonb, u.delivered_at
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS u(id, key, quantities, delivered_at)
            ON CONFLICT (operation_id) DO NOTHING
            """;
    }

    /// <summary>
    /// Claims up to <paramref name="maxRows"/> unclaimed pending reports, oldest first, for <see cref="PostgreSqlOutboxOptions.ClaimTimeout"/>.
    /// </summary>
    /// <param name="maxRows">The most rows to claim.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed reports, oldest first (none when all are claimed or none wait).</returns>
    public async Task<IReadOnlyList<StoredEntry>> ClaimAsync(int maxRows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        await using var command = _context.Command(_claim, _context.InstanceId, maxRows, _context.Options.ClaimTimeout);
        var rows = await EntryRows.ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.OrderBy(e => e.CreatedAt).ThenBy(e => e.OperationId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Gives back this instance's claims on the given reports (delivery deferred), so any replica may take them.</summary>
    /// <param name="operationIds">The ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many claims were released.</returns>
    public async Task<int> ReleaseAsync(IReadOnlyList<string> operationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        await using var command = _context.Command(_release, operationIds.ToArray(), _context.InstanceId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records deliveries: removes the delivered entries and adds their tombstones atomically (through group commit).
    /// A tombstone already present is kept as it was.
    /// </summary>
    /// <param name="tombstones">One per delivered report.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How many tombstones were added.</returns>
    public async Task<int> CompleteAsync(IReadOnlyList<StoredTombstone> tombstones, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tombstones);
        if (tombstones.Count == 0)
        {
            return 0;
        }

        var statement = TombstoneRows.Statement(_complete, tombstones);
        return await _context.Writer.WriteAsync(statement, cancellationToken).ConfigureAwait(false);
    }
}
