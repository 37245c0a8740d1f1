using Npgsql;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>The entries table's columns, their order in every SELECT/RETURNING, and the state names stored.</summary>
internal static class EntryRows
{
    public const string Columns = "operation_id, state, payload::text, owner_instance_id, claimed_by, claimed_until, created_at, updated_at";

    /// <summary>The same columns qualified by the alias <c>e</c>, for joins and UPDATE ... RETURNING.</summary>
    public const string AliasedColumns = "e.operation_id, e.state, e.payload::text, e.owner_instance_id, e.claimed_by, e.claimed_until, e.created_at, e.updated_at";

    public static string Name(StoredEntryState state) => state switch
    {
        StoredEntryState.Authorized => "authorized",
        StoredEntryState.Pending => "pending",
        StoredEntryState.DeadLettered => "dead_lettered",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown entry state."),
    };

    public static StoredEntryState Parse(string name) => name switch
    {
        "authorized" => StoredEntryState.Authorized,
        "pending" => StoredEntryState.Pending,
        "dead_lettered" => StoredEntryState.DeadLettered,
        _ => throw new InvalidOperationException($"Unknown entry state '{name}' in the outbox table."),
    };

    /// <summary>Reads the row at the reader's position, starting at column <paramref name="first"/>.</summary>
    public static StoredEntry Read(NpgsqlDataReader reader, int first = 0) => new()
    {
        OperationId = reader.GetString(first),
        State = Parse(reader.GetString(first + 1)),
        PayloadJson = reader.GetString(first + 2),
        OwnerInstanceId = reader.GetString(first + 3),
        ClaimedBy = reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
        ClaimedUntil = reader.IsDBNull(first + 5) ? null : reader.GetFieldValue<DateTimeOffset>(first + 5),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(first + 6),
        UpdatedAt = reader.GetFieldValue<DateTimeOffset>(first + 7),
    };

    public static async Task<IReadOnlyList<StoredEntry>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<StoredEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(Read(reader));
        }

        return entries;
    }
}
