using Npgsql;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// The PostgreSQL outbox store shared by a fleet of replicas: entries, instance leases, delivery claims, tombstones
/// and reservation pools in one schema. Thread-safe; one per process. Call <see cref="InitializeAsync"/> once first.
/// </summary>
public sealed class PostgreSqlOutboxStore : IAsyncDisposable
{
    private readonly StoreContext _context;
    private readonly StatementBatchWriter _writer;
    private readonly bool _ownsDataSource;
    private readonly string _backlog;

    /// <summary>Creates a store on a data source the caller owns (and disposes).</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="options">The settings (validated now).</param>
    /// <param name="timeProvider">The clock for timestamps computed in .NET; default the system clock.</param>
    public PostgreSqlOutboxStore(NpgsqlDataSource dataSource, PostgreSqlOutboxOptions options, TimeProvider? timeProvider = null)
        : this(dataSource, options, timeProvider, ownsDataSource: false)
    {
    }

    internal PostgreSqlOutboxStore(NpgsqlDataSource dataSource, PostgreSqlOutboxOptions options, TimeProvider? timeProvider, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _ownsDataSource = ownsDataSource;
        _writer = new StatementBatchWriter(dataSource, options.MaxWritesPerBatch);
        _context = new StoreContext(dataSource, options, timeProvider ?? TimeProvider.System, _writer);
        Entries = new OutboxEntryTable(_context);
        Leases = new OutboxInstanceLeases(_context);
        Claims = new OutboxDeliveryClaims(_context);
        Tombstones = new OutboxTombstoneTable(_context);
        ReservationPools = new OutboxReservationPoolTable(_context);
        var s = _context.Schema;
        _backlog = $"""
            SELECT count(*) FILTER (WHERE state = 'authorized'),
                   count(*) FILTER (WHERE state = 'pending'),
                   count(*) FILTER (WHERE state = 'pending' AND claimed_until > now()),
                   count(*) FILTER (WHERE state = 'dead_lettered'),
                   min(created_at) FILTER (WHERE state = 'pending'),
                   (SELECT count(*) FROM {s}.instances WHERE lease_expires_at > now())
            FROM {s}.entries
            """;
    }

    /// <summary>Creates a store with its own data source for <paramref name="connectionString"/> (disposed with the store).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">The settings (validated now).</param>
    /// <param name="timeProvider">The clock for timestamps computed in .NET; default the system clock.</param>
    /// <returns>The store.</returns>
    public static PostgreSqlOutboxStore Create(string connectionString, PostgreSqlOutboxOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new PostgreSqlOutboxStore(CreateDataSource(connectionString), options, timeProvider, ownsDataSource: true);
    }

    /// <summary>
    /// A data source for a connection string, with Npgsql's automatic preparation on unless the string sets it: the
    /// store runs a handful of statements over and over, and a prepared one skips the server's parse and plan. Its
    /// connections are not reset when returned to the pool: the store's statements leave no session state (its one
    /// lock is transaction-scoped), and the reset would cost every write a server round of its own.
    /// </summary>
    internal static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The settings.</summary>
    public PostgreSqlOutboxOptions Options => _context.Options;

    /// <summary>This replica's instance id.</summary>
    public string InstanceId => _context.InstanceId;

    /// <summary>What the tables share, for the guard's adapter (its statements join several tables).</summary>
    internal StoreContext Context => _context;

    /// <summary>The data source.</summary>
    public NpgsqlDataSource DataSource => _context.DataSource;

    /// <summary>Tickets, pending reports and dead letters.</summary>
    public OutboxEntryTable Entries { get; }

    /// <summary>Instance registration, leases and adoption of dead instances' work.</summary>
    public OutboxInstanceLeases Leases { get; }

    /// <summary>Delivery claims and recording deliveries.</summary>
    public OutboxDeliveryClaims Claims { get; }

    /// <summary>Tombstones of delivered reports.</summary>
    public OutboxTombstoneTable Tombstones { get; }

    /// <summary>Reservations pooled for the fleet.</summary>
    public OutboxReservationPoolTable ReservationPools { get; }

    /// <summary>Writes sent so far and the batches they shared (group commit), for monitoring.</summary>
    public (long Writes, long Batches) WriteStatistics => (_writer.WriteCount, _writer.FlushCount);

    /// <summary>
    /// Migrates the schema (see <see cref="PostgreSqlOutboxMigrator.MigrateAsync"/>) and registers this instance with
    /// a fresh lease.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>This instance's lease.</returns>
    /// <exception cref="PostgreSqlOutboxSchemaException">The schema is newer than this build, or may not be created.</exception>
    public async Task<OutboxInstanceLease> InitializeAsync(CancellationToken cancellationToken)
    {
        await PostgreSqlOutboxMigrator.MigrateAsync(_context.DataSource, Options.Schema, cancellationToken).ConfigureAwait(false);
        return await Leases.RegisterAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts the fleet's open tickets, backlog, claims, dead letters and live instances in one query.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts.</returns>
    public async Task<OutboxBacklog> GetBacklogAsync(CancellationToken cancellationToken)
    {
        await using var command = _context.Command(_backlog);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new OutboxBacklog(
            reader.GetInt64(0),
            reader.GetInt64(1),
            reader.GetInt64(2),
            reader.GetInt64(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetInt64(5));
    }

    /// <summary>Flushes queued writes, then disposes the data source when the store created it.</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _context.DataSource.DisposeAsync().ConfigureAwait(false);
        }
    }
}
