namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>Turns tombstones into the four parallel arrays the unnest-based statements take.</summary>
internal static class TombstoneRows
{
    public static WriteStatement Statement(string sql, IReadOnlyList<StoredTombstone> tombstones)
    {
        // Deduplicated by operation id (one INSERT ... ON CONFLICT may not meet a key twice) and sorted for lock order.
        var unique = new SortedDictionary<string, StoredTombstone>(StringComparer.Ordinal);
        foreach (var tombstone in tombstones)
        {
            ArgumentNullException.ThrowIfNull(tombstone);
            ArgumentException.ThrowIfNullOrEmpty(tombstone.OperationId);
            ArgumentException.ThrowIfNullOrEmpty(tombstone.IdempotencyKey);
            ArgumentNullException.ThrowIfNull(tombstone.Quantities);
            unique[tombstone.OperationId] = tombstone;
        }

        return new WriteStatement(sql,
        [
            unique.Keys.ToArray(),
            unique.Values.Select(t => t.IdempotencyKey).ToArray(),
            unique.Values.Select(t => QuantitiesJson.Write(t.Quantities)).ToArray(),
            unique.Values.Select(t => t.DeliveredAt.ToUniversalTime()).ToArray(),
        ]);
    }
}
