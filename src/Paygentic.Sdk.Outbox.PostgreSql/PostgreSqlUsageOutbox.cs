using System.Threading.Channels;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// The metering guard's outbox on a <see cref="PostgreSqlOutboxStore"/> shared by a fleet of replicas. Each replica
/// (one guard, one instance id) sees only its own open tickets and pending reports, plus those it adopted from a replica
/// whose lease expired, so replicas send disjoint sets of reports; dead letters, tombstones and pooled reservations are
/// shared. The lease is renewed in the background; expired replicas' work is adopted at start and then periodically,
/// never a live replica's. Entries are stored as their JSON (<see cref="OutboxEntry.ToJson"/>).
/// </summary>
public sealed class PostgreSqlUsageOutbox : ISharedUsageOutbox, IAsyncDisposable
{
    private readonly PostgreSqlOutboxStore _store;
    private readonly bool _ownsStore;
    private readonly StoreContext _context;
    private readonly UsageOutboxStatements _sql;
    private readonly Channel<IReadOnlyList<OutboxEntry>> _adopted = Channel.CreateUnbounded<IReadOnlyList<OutboxEntry>>();
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private LeaseKeeper? _keeper;
    private int _waiting;

    /// <summary>Creates the outbox on a store the caller owns (and disposes after this outbox).</summary>
    /// <param name="store">The store (initialized by <see cref="InitializeAsync"/>).</param>
    public PostgreSqlUsageOutbox(PostgreSqlOutboxStore store)
        : this(store, ownsStore: false)
    {
    }

    internal PostgreSqlUsageOutbox(PostgreSqlOutboxStore store, bool ownsStore)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _ownsStore = ownsStore;
        _context = store.Context;
        _sql = new UsageOutboxStatements(_context.Schema);
    }

    /// <summary>The store underneath (its backlog, leases and tables, for monitoring).</summary>
    public PostgreSqlOutboxStore Store => _store;

    /// <inheritdoc />
    /// <remarks>
    /// Migrates the schema, registers this instance, adopts the work of instances whose lease expired (so
    /// <see cref="LoadAsync"/> returns it with this instance's own) and starts renewing the lease every third of
    /// <see cref="PostgreSqlOutboxOptions.LeaseDuration"/>.
    /// </remarks>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_keeper is not null)
            {
                return;
            }

            await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await _store.Leases.AdoptExpiredAsync(cancellationToken).ConfigureAwait(false);
            _keeper = new LeaseKeeper(_store.Leases, _store.Options.LeaseDuration / 3, AdoptExpiredAsync);
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <inheritdoc />
    public Task UpsertAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var writes = new List<Task>(2);
        List<StoredEntry>? rows = null;
        List<OutboxEntry>? delivered = null;
        var now = _context.UtcNow();
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            switch (entry.State)
            {
                case OutboxEntryState.Delivered:
                    (delivered ??= []).Add(entry);
                    break;
                case OutboxEntryState.Reservation:
                    writes.Add(_context.Writer.WriteAsync(_sql.Pool(entry, _context.InstanceId, now), cancellationToken));
                    break;
                default:
                    (rows ??= []).Add(new StoredEntry { OperationId = entry.OperationId, State = (StoredEntryState)entry.State, PayloadJson = entry.ToJson() });
                    break;
            }
        }

        if (rows is not null)
        {
            writes.Add(_store.Entries.UpsertAsync(rows, cancellationToken));
        }

        if (delivered is not null)
        {
            writes.Add(_context.Writer.WriteAsync(_sql.Tombstones(delivered), cancellationToken));
        }

        return writes.Count == 1 ? writes[0] : Task.WhenAll(writes);
    }

    /// <inheritdoc />
    /// <remarks>
    /// An open ticket (<see cref="OutboxEntryState.Authorized"/>) commits with <c>synchronous_commit</c> off unless
    /// <see cref="PostgreSqlOutboxOptions.DurableAuthorizations"/> is set: an asynchronous commit is visible to every
    /// session at once and survives any crash of this replica, and because PostgreSQL's log is sequential the
    /// completion's durable commit (or any later durable commit) makes the ticket durable too. Only a crash of the
    /// server within a few <c>wal_writer_delay</c> periods can lose it; then a living replica's completion upserts the
    /// report anyway (charged), and a replica that died too leaves its work unrecovered — possibly not charged, never
    /// charged twice. Any other state is written durably.
    /// </remarks>
    public async Task<bool> TryAddAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.State is OutboxEntryState.Delivered or OutboxEntryState.Reservation)
        {
            // Not an entries row; the guard never adds these this way, so a look then a write is enough here.
            if (await GetAsync(entry.OperationId, cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }

            await UpsertAsync([entry], cancellationToken).ConfigureAwait(false);
            return true;
        }

        var name = EntryRows.Name((StoredEntryState)entry.State);
        var relaxed = entry.State == OutboxEntryState.Authorized && !_context.Options.DurableAuthorizations;
        var statement = new WriteStatement(_sql.TryAdd, [entry.OperationId, name, entry.ToJson(), _context.InstanceId, _context.UtcNow()], relaxed);
        return await _context.Writer.WriteAsync(statement, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public Task RemoveAsync(IReadOnlyList<string> operationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        if (operationIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        string[] ids = [.. operationIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return _context.Writer.WriteAsync(new WriteStatement(_sql.Remove, [ids]), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Any replica's entry, tombstone or reservation: a reused operation id is refused fleet-wide.</remarks>
    public async Task<OutboxEntry?> GetAsync(string operationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        await using var command = _context.Command(_sql.Get, operationId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json ? OutboxEntry.FromJson(json) : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Open tickets and pending reports: this instance's only (its own and those it adopted), so replicas never recover
    /// or send each other's work. Dead letters and tombstones: the whole fleet's. Reservations: those this instance
    /// owns or takes over from an expired owner.
    /// </remarks>
    public async Task<IReadOnlyList<OutboxEntry>> LoadAsync(OutboxEntryState state, CancellationToken cancellationToken)
    {
        switch (state)
        {
            case OutboxEntryState.Delivered:
                return await ReadPayloadsAsync(_sql.LoadTombstones, [], cancellationToken).ConfigureAwait(false);
            case OutboxEntryState.Reservation:
                var pools = await ReadPayloadsAsync(_sql.TakePools, [_context.InstanceId], cancellationToken).ConfigureAwait(false);
                return [.. pools.OrderBy(p => p.CreatedAt).ThenBy(p => p.OperationId, StringComparer.Ordinal)];
            default:
                var rows = await _store.Entries.LoadAsync((StoredEntryState)state, ownedOnly: state != OutboxEntryState.DeadLettered, cancellationToken).ConfigureAwait(false);
                return [.. rows.Select(r => OutboxEntry.FromJson(r.PayloadJson))];
        }
    }

    /// <inheritdoc />
    /// <remarks>Deletes the rows and writes their tombstones in one statement; the tombstones are visible to every replica.</remarks>
    public Task MarkDeliveredAsync(IReadOnlyList<OutboxEntry> reports, DateTimeOffset deliveredAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            return Task.CompletedTask;
        }

        // What the guard's tombstone holds: the id, key, quantities and outcome, without metadata.
        var tombstones = reports.Select(r => r with
        {
            State = OutboxEntryState.Delivered,
            Outcome = ReportState.Delivered,
            CreatedAt = deliveredAt,
            LastError = null,
            Ticket = r.Ticket.Metadata is null ? r.Ticket : r.Ticket with { Metadata = null },
            Report = r.Report is { Metadata: not null } report ? report with { Metadata = null } : r.Report,
        });
        return _context.Writer.WriteAsync(_sql.Tombstones(tombstones), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> RemoveWrittenBeforeAsync(OutboxEntryState state, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var cutoff = before.ToUniversalTime();
        await using var command = state switch
        {
            OutboxEntryState.Delivered => _context.Command(_sql.PurgeTombstones, cutoff),
            OutboxEntryState.Reservation => _context.Command(_sql.PurgePools, cutoff),
            _ => _context.Command(_sql.PurgeEntries, EntryRows.Name((StoredEntryState)state), cutoff, _context.InstanceId),
        };
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxEntry>> WaitForAdoptedAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _waiting, 1);
        return await _adopted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adopts now the open tickets and pending reports of instances whose lease expired (the background does it every
    /// third of <see cref="PostgreSqlOutboxOptions.LeaseDuration"/>) and hands them to the guard. Does nothing before the
    /// guard waits for adopted work (<see cref="WaitForAdoptedAsync"/>): work nobody takes would wait for the next start.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many entries were adopted.</returns>
    public async Task<int> AdoptExpiredAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _waiting) == 0)
        {
            return 0;
        }

        var adoption = await _store.Leases.AdoptExpiredAsync(cancellationToken).ConfigureAwait(false);
        if (adoption.Entries.Count == 0)
        {
            return 0;
        }

        _adopted.Writer.TryWrite([.. adoption.Entries.Select(e => OutboxEntry.FromJson(e.PayloadJson))]);
        return adoption.Entries.Count;
    }

    /// <summary>Stops renewing the lease (survivors adopt this instance's remaining work once it lapses); disposes the store when this outbox created it.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _keeper, null) is { } keeper)
        {
            await keeper.DisposeAsync().ConfigureAwait(false);
        }

        // Once only: a second call finds the keeper gone and must not dispose the store again.
        if (!_adopted.Writer.TryComplete())
        {
            return;
        }

        if (_ownsStore)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<List<OutboxEntry>> ReadPayloadsAsync(string sql, object[] values, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>();
        await using var command = _context.Command(sql, values);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(OutboxEntry.FromJson(reader.GetString(0)));
        }

        return entries;
    }
}
