using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// The SQL of <see cref="PostgreSqlUsageOutbox"/>: the guard's entries map onto the store's tables (tickets, reports
/// and dead letters on entries; delivered reports on tombstones; pooled reservations on reservation_pools), and some
/// of its operations span tables, so they are statements of their own rather than calls on one table.
/// </summary>
internal sealed class UsageOutboxStatements
{
    public UsageOutboxStatements(string s)
    {
        // A tombstone refuses the id as an entry would: an operation delivered by any replica must not run again.
        TryAdd = $"""
            INSERT INTO {s}.entries (operation_id, state, payload, owner_instance_id, created_at, updated_at)
            SELECT $1, $2, $3::json, $4, $5, $5
            WHERE NOT EXISTS (SELECT 1 FROM {s}.tombstones WHERE operation_id = $1)
            ON CONFLICT (operation_id) DO NOTHING
            """;

        // One statement, so one transaction: a crash leaves the pending report (sent again with the same key) or the
        // tombstone, never neither.
        Tombstone = $"""
            WITH gone AS (DELETE FROM {s}.entries WHERE operation_id = ANY($1))
            INSERT INTO {s}.tombstones (operation_id, idempotency_key, quantities, delivered_at, payload)
            SELECT u.id, u.key, u.quantities::jsonb, u.delivered_at, u.payload::json
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS u(id, key, quantities, delivered_at, payload)
            ON CONFLICT (operation_id) DO NOTHING
            """;
        SavePool = $"""
            INSERT INTO {s}.reservation_pools (pool_key, reservation_id, remaining_uses, expires_at, updated_at, payload, owner_instance_id)
            VALUES ($1, $2, $3, $4, $5, $6::json, $7)
            ON CONFLICT (pool_key) DO UPDATE SET reservation_id = EXCLUDED.reservation_id,
                remaining_uses = EXCLUDED.remaining_uses, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at,
                payload = EXCLUDED.payload, owner_instance_id = EXCLUDED.owner_instance_id
            """;

        // A pool is drawn on by one replica at a time (its use count lives in that replica's memory): loading takes the
        // pools this instance owns and those whose owner's lease lapsed, and makes them this instance's. The row lock
        // makes two survivors loading at once take each pool once.
        TakePools = $"""
            UPDATE {s}.reservation_pools p SET owner_instance_id = $1
            WHERE p.payload IS NOT NULL
              AND (p.owner_instance_id IS NULL OR p.owner_instance_id = $1
                   OR NOT EXISTS (SELECT 1 FROM {s}.instances i WHERE i.id = p.owner_instance_id AND i.lease_expires_at > now()))
            RETURNING p.payload::text
            """;
        LoadTombstones = $"SELECT payload::text FROM {s}.tombstones WHERE payload IS NOT NULL ORDER BY delivered_at, operation_id";
        Get = $"""
            SELECT payload::text FROM {s}.entries WHERE operation_id = $1
            UNION ALL SELECT payload::text FROM {s}.tombstones WHERE operation_id = $1 AND payload IS NOT NULL
            UNION ALL SELECT payload::text FROM {s}.reservation_pools WHERE pool_key = $1 AND payload IS NOT NULL
            LIMIT 1
            """;
        Remove = $"""
            WITH a AS (DELETE FROM {s}.entries WHERE operation_id = ANY($1)),
                 b AS (DELETE FROM {s}.reservation_pools WHERE pool_key = ANY($1))
            DELETE FROM {s}.tombstones WHERE operation_id = ANY($1)
            """;
        PurgeTombstones = $"DELETE FROM {s}.tombstones WHERE delivered_at < $1";
        PurgePools = $"DELETE FROM {s}.reservation_pools WHERE payload IS NOT NULL AND updated_at < $1";
        PurgeEntries = $"DELETE FROM {s}.entries WHERE state = $1 AND created_at < $2 AND (state = 'dead_lettered' OR owner_instance_id = $3)";
    }

    public string TryAdd { get; }

    public string Tombstone { get; }

    public string SavePool { get; }

    public string TakePools { get; }

    public string LoadTombstones { get; }

    public string Get { get; }

    public string Remove { get; }

    public string PurgeTombstones { get; }

    public string PurgePools { get; }

    public string PurgeEntries { get; }

    /// <summary>The delivered entries as one tombstone statement (deduplicated and sorted, for one lock order).</summary>
    public WriteStatement Tombstones(IEnumerable<OutboxEntry> delivered)
    {
        var unique = new SortedDictionary<string, OutboxEntry>(StringComparer.Ordinal);
        foreach (var entry in delivered)
        {
            unique[entry.OperationId] = entry;
        }

        return new WriteStatement(Tombstone,
        [
            unique.Keys.ToArray(),
            unique.Values.Select(e => e.Report?.IdempotencyKey ?? e.OperationId).ToArray(),
            unique.Values.Select(e => QuantitiesJson.Write(e.Report?.Quantities ?? new Dictionary<string, long>())).ToArray(),
            unique.Values.Select(e => e.CreatedAt.ToUniversalTime()).ToArray(),
            unique.Values.Select(e => e.ToJson()).ToArray(),
        ]);
    }

    /// <summary>A pooled reservation row as one statement, owned by <paramref name="instanceId"/>.</summary>
    public WriteStatement Pool(OutboxEntry reservation, string instanceId, DateTimeOffset now)
    {
        // A reservation without an expiry is kept as one far in the future (the column is NOT NULL); the guard still
        // drops it once its uses are spent.
        var expires = reservation.Ticket.AuthorizationExpiresAt ?? now.AddYears(100);
        return new WriteStatement(SavePool,
        [
            reservation.OperationId,
            reservation.Ticket.AuthorizationId ?? reservation.OperationId,
            (long)Math.Max(0, reservation.ReservationUses ?? 0),
            expires.ToUniversalTime(),
            now,
            reservation.ToJson(),
            instanceId,
        ]);
    }
}
