namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Tombstones of delivered reports, shared by the fleet and kept for <see cref="PostgreSqlOutboxOptions.TombstoneRetention"/>.
/// </summary>
public sealed class OutboxTombstoneTable
{
    private readonly StoreContext _context;
    private readonly string _add;
    private readonly string _find;
    private readonly string _purge;

    internal OutboxTombstoneTable(StoreContext context)
    {
        _context = context;
        var s = context.Schema;
        _add = $"""
            INSERT INTO {s}.tombstones (operation_id, idempotency_key, quantities, delivered_at)
            SELECT u.id, u.key, u.quantities::jsonb, u.delivered_at
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS u(id, key, quantities, delivered_at)
            ON CONFLICT (operation_id) DO NOTHING
            """;
        _find = $"SELECT operation_id, idempotency_key, quantities::text, delivered_at FROM {s}.tombstones WHERE operation_id = $1";
        _purge = $"DELETE FROM {s}.tombstones WHERE delivered_at < $1";
    }

    /// <summary>Adds tombstones (through group commit); one already present is kept as it was.</summary>
    /// <param name="tombstones">The tombstones.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How many were added.</returns>
    public async Task<int> AddAsync(IReadOnlyList<StoredTombstone> tombstones, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tombstones);
        if (tombstones.Count == 0)
        {
            return 0;
        }

        return await _context.Writer.WriteAsync(TombstoneRows.Statement(_add, tombstones), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds the tombstone of an operation, or null when it was never delivered or has been purged.</summary>
    /// <param name="operationId">The operation id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tombstone, or null.</returns>
    public async Task<StoredTombstone?> FindAsync(string operationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        await using var command = _context.Command(_find, operationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new StoredTombstone
        {
            OperationId = reader.GetString(0),
            IdempotencyKey = reader.GetString(1),
            Quantities = QuantitiesJson.Read(reader.GetString(2)),
            DeliveredAt = reader.GetFieldValue<DateTimeOffset>(3),
        };
    }

    /// <summary>
    /// Deletes tombstones delivered more than <see cref="PostgreSqlOutboxOptions.TombstoneRetention"/> ago, by this
    /// instance's <see cref="TimeProvider"/> (the same clock that stamped <see cref="StoredTombstone.DeliveredAt"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were deleted.</returns>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = _context.UtcNow() - _context.Options.TombstoneRetention;
        await using var command = _context.Command(_purge, cutoff);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
