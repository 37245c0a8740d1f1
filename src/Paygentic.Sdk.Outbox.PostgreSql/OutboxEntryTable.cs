namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// The entries table: tickets, pending reports and dead letters keyed by operation id. Writes go through group
/// commit (concurrent writers share one batch and one commit); each completed write is durable.
/// </summary>
public sealed class OutboxEntryTable
{
    private readonly StoreContext _context;
    private readonly string _insertIfAbsent;
    private readonly string _upsert;
    private readonly string _remove;
    private readonly string _get;
    private readonly string _loadAll;
    private readonly string _loadOwned;

    internal OutboxEntryTable(StoreContext context)
    {
        _context = context;
        var s = context.Schema;
        _insertIfAbsent = $"""
            INSERT INTO {s}.entries (operation_id, state, payload, owner_instance_id, created_at, updated_at)
            VALUES ($1, $2, $3::json, $4, $5, $5)
            ON CONFLICT (operation_id) DO NOTHING
            """;

        // One statement for the whole list (unnest), so a list is one command in the batch. created_at keeps the
        // first write's time; the claim columns are left alone, since rewriting a row must not free a live claim.
        _upsert = $"""
            INSERT INTO {s}.entries (operation_id, state, payload, owner_instance_id, created_at, updated_at)
            SELECT u.id, u.state, u.payload::json, $4, $5, $5
            FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, state, payload)
            ON CONFLICT (operation_id) DO UPDATE SET
                state = EXCLUDED.state,
                payload = EXCLUDED.payload,
                owner_instance_id = EXCLUDED.owner_instance_id,
                updated_at = EXCLUDED.updated_at
            """;
        _remove = $"DELETE FROM {s}.entries WHERE operation_id = ANY($1)";
        _get = $"SELECT {EntryRows.Columns} FROM {s}.entries WHERE operation_id = $1";
        _loadAll = $"SELECT {EntryRows.Columns} FROM {s}.entries WHERE state = $1 ORDER BY created_at, operation_id";
        _loadOwned = $"SELECT {EntryRows.Columns} FROM {s}.entries WHERE state = $1 AND owner_instance_id = $2 ORDER BY created_at, operation_id";
    }

    /// <summary>
    /// Inserts the entry, owned by this instance, unless its operation id is stored in any state; costs no separate
    /// read, so reusing an id can never overwrite an open ticket, a pending report or a dead letter.
    /// </summary>
    /// <param name="operationId">The operation id.</param>
    /// <param name="state">The state.</param>
    /// <param name="payloadJson">The entry as JSON.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when inserted; <see langword="false"/> when the id was present (nothing changed).</returns>
    public async Task<bool> TryAddAsync(string operationId, StoredEntryState state, string payloadJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        ArgumentException.ThrowIfNullOrEmpty(payloadJson);
        var statement = new WriteStatement(
            _insertIfAbsent,
            [operationId, EntryRows.Name(state), payloadJson, _context.InstanceId, _context.UtcNow()]);
        return await _context.Writer.WriteAsync(statement, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Inserts or replaces entries by operation id, atomically, owned by this instance afterwards. When an id repeats,
    /// the last one wins. A live delivery claim on a replaced row stays.
    /// </summary>
    /// <param name="entries">The entries (<see cref="StoredEntry.OperationId"/>, <see cref="StoredEntry.State"/> and <see cref="StoredEntry.PayloadJson"/> are used).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task UpsertAsync(IReadOnlyList<StoredEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        // Deduplicated (one statement may not update a row twice) and sorted, so concurrent writers lock rows in one
        // order and cannot deadlock each other over a list.
        var latest = new SortedDictionary<string, StoredEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            ArgumentException.ThrowIfNullOrEmpty(entry.OperationId);
            latest[entry.OperationId] = entry;
        }

        var ids = latest.Keys.ToArray();
        var states = latest.Values.Select(e => EntryRows.Name(e.State)).ToArray();
        var payloads = latest.Values.Select(e => e.PayloadJson).ToArray();
        var statement = new WriteStatement(_upsert, [ids, states, payloads, _context.InstanceId, _context.UtcNow()]);
        await _context.Writer.WriteAsync(statement, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes entries by operation id (missing ids are ignored), atomically.</summary>
    /// <param name="operationIds">The ids.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>How many rows were removed.</returns>
    public async Task<int> RemoveAsync(IReadOnlyList<string> operationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        if (operationIds.Count == 0)
        {
            return 0;
        }

        var statement = new WriteStatement(_remove, [operationIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()]);
        return await _context.Writer.WriteAsync(statement, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one entry, or null.</summary>
    /// <param name="operationId">The id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entry, or null.</returns>
    public async Task<StoredEntry?> GetAsync(string operationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationId);
        await using var command = _context.Command(_get, operationId);
        var rows = await EntryRows.ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Reads the entries in a state, oldest first: this instance's own (its tickets and reports), or the whole
    /// fleet's (dead letters are shared, visible to every replica).
    /// </summary>
    /// <param name="state">The state.</param>
    /// <param name="ownedOnly">Only entries this instance owns.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entries.</returns>
    public async Task<IReadOnlyList<StoredEntry>> LoadAsync(StoredEntryState state, bool ownedOnly, CancellationToken cancellationToken)
    {
        await using var command = ownedOnly
            ? _context.Command(_loadOwned, EntryRows.Name(state), _context.InstanceId)
            : _context.Command(_loadAll, EntryRows.Name(state));
        return await EntryRows.ReadAllAsync(command, cancellationToken).ConfigureAwait(false);
    }
}
