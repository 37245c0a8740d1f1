using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Paygentic.Sdk.Metering.Reporting;
using SQLitePCL;

namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>
/// A durable <see cref="IUsageOutbox"/> in one SQLite file (WAL journal). Writes are committed by the caller that finds
/// the file idle, on its own thread, together with every write queued meanwhile (group commit: one transaction, and
/// at most one disk flush, for all of them). A lone caller therefore pays no thread hand-off, and many callers share
/// few commits. The schema version is kept in <c>PRAGMA user_version</c>; a file that is corrupt, not an outbox, or
/// from a newer version fails <see cref="InitializeAsync"/> with <see cref="UsageOutboxException"/> and is left as it is.
/// </summary>
/// <remarks>
/// Schema 1: <c>outbox(operation_id TEXT PRIMARY KEY, state INTEGER, payload TEXT (OutboxEntry JSON, UTF-8), created_at
/// INTEGER (unix ms), updated_at INTEGER (unix ms))</c>, index on <c>(state, created_at)</c>, and
/// <c>PRAGMA application_id = 0x50594754</c> ("PYGT").
/// </remarks>
public sealed class SqliteUsageOutbox : IUsageOutbox, IAsyncDisposable
{
    /// <summary>The schema version this build writes and reads (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 1;

    /// <summary>The <c>PRAGMA application_id</c> that marks a file as a Paygentic outbox ("PYGT").</summary>
    public const int ApplicationId = 0x50594754;

    private readonly SqliteOutboxOptions _options;
    private readonly string _path;
    private readonly ConcurrentQueue<Operation> _queue = new();
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly Lock _closeGate = new();
    private SqliteConnection? _connection;
    private SqliteCommand? _upsert;
    private SqliteCommand? _insert;
    private SqliteCommand? _delete;
    private SqliteCommand? _get;
    private SqliteCommand? _begin;
    private SqliteCommand? _commit;
    private SqliteCommand? _rollback;
    private SqliteCommand? _load;
    private SqliteCommand? _purge;

    // Set when a rollback failed: a transaction may be open that nothing will commit, so every call fails.
    private SqliteException? _broken;

    // 1 while a thread commits queued operations; whoever sets it from 0 commits (see Submit).
    private int _committing;
    private volatile bool _initialized;
    private volatile bool _disposed;

    /// <summary>Creates an outbox over a file (opened by <see cref="InitializeAsync"/>).</summary>
    /// <param name="path">The database file.</param>
    public SqliteUsageOutbox(string path)
        : this(new SqliteOutboxOptions { Path = path })
    {
    }

    /// <summary>Creates an outbox with settings (opened by <see cref="InitializeAsync"/>).</summary>
    /// <param name="options">The settings; <see cref="SqliteOutboxOptions.Path"/> is required.</param>
    public SqliteUsageOutbox(SqliteOutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            throw new ArgumentException("SqliteOutboxOptions.Path is required: the outbox database file.", nameof(options));
        }

        if (options.MaxWritesPerCommit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxWritesPerCommit, "SqliteOutboxOptions.MaxWritesPerCommit must be at least 1.");
        }

        if (options.BusyTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BusyTimeout, "SqliteOutboxOptions.BusyTimeout must not be negative.");
        }

        _options = options;
        _path = System.IO.Path.GetFullPath(options.Path);
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath => _path;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_initialized)
            {
                return;
            }

            var directory = System.IO.Path.GetDirectoryName(_path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = _path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
            }.ToString());
            try
            {
                connection.Open();
                Open(connection);
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
            {
                connection.Dispose();
                throw new UsageOutboxException($"The usage outbox '{_path}' is in use by another process (it is opened exclusively so reports are delivered once).", e);
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            _connection = connection;
            // The payload is bound as UTF-8 bytes and stored as TEXT (CAST), so rows read the same as before and no
            // UTF-16 copy of the JSON is made on the way in.
            const string Values = "VALUES ($id, $state, CAST($payload AS TEXT), $created, $updated)";
            _upsert = WriteCommand(connection,
                $"INSERT INTO outbox (operation_id, state, payload, created_at, updated_at) {Values} " +
                "ON CONFLICT (operation_id) DO UPDATE SET state = excluded.state, payload = excluded.payload, created_at = excluded.created_at, updated_at = excluded.updated_at");
            _insert = WriteCommand(connection, $"INSERT INTO outbox (operation_id, state, payload, created_at, updated_at) {Values} ON CONFLICT (operation_id) DO NOTHING");
            _delete = connection.CreateCommand();
            _delete.CommandText = "DELETE FROM outbox WHERE operation_id = $id";
            _delete.Parameters.Add("$id", SqliteType.Text);

            // Prepared once: compiling the statement again for every guarded operation's look-up costs more than the look-up.
            _get = connection.CreateCommand();
            _get.CommandText = "SELECT operation_id, payload FROM outbox WHERE operation_id = $p";
            _get.Parameters.Add("$p", SqliteType.Text);
            _load = connection.CreateCommand();
            _load.CommandText = "SELECT operation_id, payload FROM outbox WHERE state = $p ORDER BY created_at, rowid";
            _load.Parameters.Add("$p", SqliteType.Integer);
            _purge = connection.CreateCommand();
            _purge.CommandText = "DELETE FROM outbox WHERE state = $state AND created_at < $before";
            _purge.Parameters.Add("$state", SqliteType.Integer);
            _purge.Parameters.Add("$before", SqliteType.Integer);
            _begin = Command(connection, "BEGIN");
            _commit = Command(connection, "COMMIT");
            _rollback = Command(connection, "ROLLBACK");
            _initialized = true;
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
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        // Serialize before taking part in a commit: the committing thread only touches the database.
        var rows = new Row[entries.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = Row.From(entries[i]);
        }

        return Submit(new Operation(OperationKind.Upsert, rows, null, null));
    }

    /// <inheritdoc />
    public async Task<bool> TryAddAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var insert = new Operation(OperationKind.Insert, [Row.From(entry)], null, null);
        await Submit(insert).ConfigureAwait(false);
        return insert.Inserted;
    }

    /// <inheritdoc />
    public Task RemoveAsync(IReadOnlyList<string> operationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        return operationIds.Count == 0 ? Task.CompletedTask : Submit(new Operation(OperationKind.Remove, null, operationIds.ToArray(), null));
    }

    /// <inheritdoc />
    public async Task<OutboxEntry?> GetAsync(string operationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        var read = new Operation(OperationKind.Get, null, [operationId], null);
        await Submit(read).ConfigureAwait(false);
        return read.Result is { Count: > 0 } found ? found[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxEntry>> LoadAsync(OutboxEntryState state, CancellationToken cancellationToken)
    {
        var read = new Operation(OperationKind.Load, null, null, (int)state);
        await Submit(read).ConfigureAwait(false);
        return read.Result ?? [];
    }

    /// <inheritdoc />
    public async Task<int> RemoveWrittenBeforeAsync(OutboxEntryState state, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var purge = new Operation(OperationKind.Purge, null, null, (int)state) { Before = before.ToUnixTimeMilliseconds() };
        await Submit(purge).ConfigureAwait(false);
        return purge.Removed;
    }

    /// <summary>Finishes the writes in progress and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_closeGate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        // New calls now fail; wait for the commit in progress, then finish what was queued before this call.
        while (Interlocked.CompareExchange(ref _committing, 1, 0) != 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        while (!_queue.IsEmpty)
        {
            CommitQueued();
        }

        _upsert?.Dispose();
        _insert?.Dispose();
        _get?.Dispose();
        _begin?.Dispose();
        _commit?.Dispose();
        _rollback?.Dispose();
        _load?.Dispose();
        _purge?.Dispose();
        _delete?.Dispose();
        _connection?.Dispose();
        _initGate.Dispose();
    }

    private void Open(SqliteConnection connection)
    {
        long userVersion, applicationId, tables;
        string check;
        try
        {
            userVersion = Scalar(connection, "PRAGMA user_version");
            applicationId = Scalar(connection, "PRAGMA application_id");
            tables = Scalar(connection, "SELECT count(*) FROM sqlite_master");
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check";
            check = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 or 11)
        {
            throw new UsageOutboxException(
                $"The usage outbox '{_path}' is not a readable SQLite database (corrupt or not a database: {e.Message}). It was left untouched: " +
                "restore it from a backup, or move it aside to start with an empty outbox (reports in it would then not be delivered).", e);
        }

        if (!string.Equals(check, "ok", StringComparison.Ordinal))
        {
            throw new UsageOutboxException(
                $"The usage outbox '{_path}' is corrupt (integrity check: {check}). It was left untouched: restore it from a backup, or move it aside to start with an empty outbox.");
        }

        if (applicationId != 0 && applicationId != ApplicationId)
        {
            throw new UsageOutboxException($"The file '{_path}' is a SQLite database of another application (application_id {applicationId}), not a Paygentic usage outbox. It was left untouched.");
        }

        if (userVersion > SchemaVersion)
        {
            throw new UsageOutboxException(
                $"The usage outbox '{_path}' has schema version {userVersion}, written by a newer Paygentic SDK; this version reads up to {SchemaVersion}. " +
                "It was left untouched: upgrade the SDK (downgrading would lose or misread pending reports).");
        }

        if (userVersion == 0 && tables > 0)
        {
            throw new UsageOutboxException($"The file '{_path}' is a SQLite database with other tables and no outbox schema version, not a Paygentic usage outbox. It was left untouched.");
        }

        // Exclusive locking must be set before WAL is first used: no shared memory, and no second process.
        Execute(connection, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}");
        if (_options.ExclusiveAccess)
        {
            Execute(connection, "PRAGMA locking_mode = EXCLUSIVE");
        }

        {
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, _options.FlushEachCommit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            if (userVersion == 0)
            {
                using var transaction = connection.BeginTransaction();
                Execute(connection, """
                    CREATE TABLE outbox (
                        operation_id TEXT NOT NULL PRIMARY KEY,
                        state INTEGER NOT NULL,
                        payload TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX ix_outbox_state_created ON outbox (state, created_at);
                    """, transaction);
                Execute(connection, $"PRAGMA application_id = {ApplicationId}", transaction);
                Execute(connection, $"PRAGMA user_version = {SchemaVersion}", transaction);
                transaction.Commit();
            }
            else
            {
                // Take the write lock now, so a second process fails here rather than on its first report.
                using var transaction = connection.BeginTransaction(deferred: false);
                transaction.Commit();
            }
        }
    }

    /// <summary>
    /// Queues an operation and, when no commit is in progress, commits the queue on this thread. The caller that
    /// commits also commits for those who queued meanwhile; they find a commit in progress and wait for their task.
    /// </summary>
    private Task Submit(Operation operation)
    {
        if (!_initialized)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            throw new InvalidOperationException("Call InitializeAsync before using the outbox.");
        }

        // Under the gate, so nothing is queued after DisposeAsync has taken its last look at the queue.
        lock (_closeGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Enqueue(operation);
        }

        if (Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            CommitQueued();
            Release();
        }

        return operation.Task;
    }

    /// <summary>
    /// Ends a commit turn. Work queued by a caller that saw this turn in progress is committed on the thread pool,
    /// not by this caller: one caller's wait is never stretched by a stream of others' writes.
    /// </summary>
    private void Release()
    {
        // A full fence, not a release write: the look at the queue below must not move before the flag is cleared, or a
        // writer that queued meanwhile and saw the flag set would be left with nobody to commit its operation.
        Interlocked.Exchange(ref _committing, 0);
        if (!_queue.IsEmpty && !_disposed && Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.CommitOnPool(), this, preferLocal: false);
        }
    }

    private void CommitOnPool()
    {
        CommitQueued();
        Release();
    }

    /// <summary>Commits up to <see cref="SqliteOutboxOptions.MaxWritesPerCommit"/> queued operations in one transaction.</summary>
    private void CommitQueued()
    {
        var batch = new List<Operation>(Math.Min(_queue.Count, _options.MaxWritesPerCommit));
        while (batch.Count < _options.MaxWritesPerCommit && _queue.TryDequeue(out var operation))
        {
            batch.Add(operation);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            Apply(batch);
            foreach (var operation in batch)
            {
                operation.Complete(null);
            }
        }
#pragma warning disable CA1031 // one failing write must fail only its own caller: retry the others one by one
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var operation in batch)
            {
                try
                {
                    Apply([operation]);
                    operation.Complete(null);
                }
                catch (Exception e)
                {
                    operation.Complete(Wrap(e));
                }
            }
        }
        catch (Exception e)
        {
            batch[0].Complete(Wrap(e));
        }
#pragma warning restore CA1031
    }

    private void Apply(List<Operation> batch)
    {
        EnsureNoOpenTransaction();

        // A lone statement commits by itself (autocommit); several need one transaction so they land together, with one
        // flush. BEGIN and COMMIT are prepared once: a SqliteTransaction compiles them anew on every commit, which cost
        // more than the writes themselves.
        var statements = 0;
        foreach (var operation in batch)
        {
            statements += operation.Kind switch
            {
                OperationKind.Upsert => operation.Rows!.Length,
                OperationKind.Insert => 1,
                OperationKind.Remove => operation.Ids!.Length,
                OperationKind.Purge => 1,
                _ => 0,
            };
        }

        // With other operations in the batch, even one write needs the transaction: if a later operation fails, the
        // batch is rolled back and retried one by one, and a write committed on its own would then run twice (an
        // insert-if-absent would answer "present" about its own row).
        var inTransaction = statements > 1 || (statements == 1 && batch.Count > 1);
        if (inTransaction)
        {
            _begin!.ExecuteNonQuery();
        }

        try
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var operation in batch)
            {
                Apply(operation, now);
            }

            if (inTransaction)
            {
                _commit!.ExecuteNonQuery();
            }
        }
        catch when (inTransaction && raw.sqlite3_get_autocommit(_connection!.Handle) == 0)
        {
            // Undo the part of the batch that ran, so the callers can be retried one by one on a clean slate.
            RollBack();
            throw;
        }
    }

    /// <summary>
    /// Refuses to write into a transaction left open by a failed rollback: a lone statement would join it, be reported
    /// as written, and never be committed. One more rollback is tried; if the file still holds a transaction open, every
    /// call fails from then on rather than acknowledge writes it may lose.
    /// </summary>
    private void EnsureNoOpenTransaction()
    {
        if (_broken is { } broken)
        {
            throw new UsageOutboxException($"The usage outbox '{_path}' can no longer commit (a rollback failed); reopen it to continue.", broken);
        }

        if (raw.sqlite3_get_autocommit(_connection!.Handle) == 0)
        {
            RollBack();
        }
    }

    private void RollBack()
    {
        try
        {
            _rollback!.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            _broken = e;
            throw new UsageOutboxException($"The usage outbox '{_path}' could not roll back a failed commit; it refuses further writes until reopened.", e);
        }
    }

    private void Apply(Operation operation, long now)
    {
        switch (operation.Kind)
        {
            case OperationKind.Upsert:
                foreach (var row in operation.Rows!)
                {
                    Write(_upsert!, row, now);
                }

                break;
            case OperationKind.Insert:
                operation.Inserted = Write(_insert!, operation.Rows![0], now) == 1;
                break;
            case OperationKind.Remove:
                foreach (var id in operation.Ids!)
                {
                    _delete!.Parameters[0].Value = id;
                    _delete.ExecuteNonQuery();
                }

                break;
            case OperationKind.Get:
                operation.Result = Read(_get!, operation.Ids![0]);
                break;
            case OperationKind.Load:
                operation.Result = Read(_load!, operation.State!.Value);
                break;
            case OperationKind.Purge:
                _purge!.Parameters[0].Value = operation.State!.Value;
                _purge.Parameters[1].Value = operation.Before;
                operation.Removed = _purge.ExecuteNonQuery();
                break;
        }
    }

    /// <summary>Runs an insert command for one row; returns the rows changed.</summary>
    private static int Write(SqliteCommand command, Row row, long now)
    {
        var parameters = command.Parameters;
        parameters[0].Value = row.OperationId;
        parameters[1].Value = row.State;
        parameters[2].Value = row.Payload;
        parameters[3].Value = row.CreatedAt;
        parameters[4].Value = now;
        return command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static SqliteCommand WriteCommand(SqliteConnection connection, string sql)
    {
        var command = Command(connection, sql);
        command.Parameters.Add("$id", SqliteType.Text);
        command.Parameters.Add("$state", SqliteType.Integer);
        command.Parameters.Add("$payload", SqliteType.Blob);
        command.Parameters.Add("$created", SqliteType.Integer);
        command.Parameters.Add("$updated", SqliteType.Integer);
        return command;
    }

    private static List<OutboxEntry> Read(SqliteCommand command, object parameter)
    {
        command.Parameters[0].Value = parameter;
        using var reader = command.ExecuteReader();
        var result = new List<OutboxEntry>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            try
            {
                // Rows are TEXT; reading their bytes skips a UTF-16 copy of every payload (recovery reads many).
                result.Add(OutboxEntry.FromJson(reader.GetFieldValue<byte[]>(1)));
            }
            catch (JsonException e)
            {
                throw new UsageOutboxException($"The usage outbox row '{id}' cannot be read ({e.Message}); the file was left untouched.", e);
            }
        }

        return result;
    }

    private Exception Wrap(Exception e) =>
        e as UsageOutboxException ?? new UsageOutboxException($"Writing the usage outbox '{_path}' failed: {e.Message}", e);

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private enum OperationKind
    {
        Upsert,
        Insert,
        Remove,
        Get,
        Load,
        Purge,
    }

    private sealed record Row(string OperationId, int State, byte[] Payload, long CreatedAt)
    {
        public static Row From(OutboxEntry entry) => new(entry.OperationId, (int)entry.State, entry.ToJsonUtf8(), entry.CreatedAt.ToUnixTimeMilliseconds());
    }

    private sealed class Operation(OperationKind kind, Row[]? rows, string[]? ids, int? state)
    {
        public OperationKind Kind { get; } = kind;

        public Row[]? Rows { get; } = rows;

        public string[]? Ids { get; } = ids;

        public int? State { get; } = state;

        public List<OutboxEntry>? Result { get; set; }

        public bool Inserted { get; set; }

        public long Before { get; init; }

        public int Removed { get; set; }

        private const int Pending = 0;
        private const int Succeeded = 1;
        private const int Failed = 2;
        private int _outcome;
        private Exception? _error;
        private TaskCompletionSource? _waiter;

        /// <summary>
        /// The operation's outcome. Made when asked for: the caller that commits its own operation gets a completed task
        /// and no completion source is allocated; a caller whose operation another thread commits gets one.
        /// </summary>
        public Task Task
        {
            get
            {
                if (Volatile.Read(ref _outcome) != Pending)
                {
                    return Finished();
                }

                var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waiter = Interlocked.CompareExchange(ref _waiter, waiter, null) ?? waiter;

                // Completed between the first look and publishing the waiter: Complete may not have seen it.
                if (Volatile.Read(ref _outcome) != Pending)
                {
                    Signal(waiter);
                }

                return waiter.Task;
            }
        }

        public void Complete(Exception? error)
        {
            _error = error;
            if (Interlocked.CompareExchange(ref _outcome, error is null ? Succeeded : Failed, Pending) != Pending)
            {
                return;
            }

            if (Volatile.Read(ref _waiter) is { } waiter)
            {
                Signal(waiter);
            }
        }

        private Task Finished() => _outcome == Succeeded ? Task.CompletedTask : Task.FromException(_error!);

        private void Signal(TaskCompletionSource waiter)
        {
            if (_outcome == Succeeded)
            {
                waiter.TrySetResult();
            }
            else
            {
                waiter.TrySetException(_error!);
            }
        }
    }
}
