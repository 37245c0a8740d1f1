using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>
/// A durable <see cref="IUsageOutbox"/> in one SQLite file (WAL journal). Concurrent writes are committed together
/// (group commit: one transaction and one disk flush for everything that arrived meanwhile), so many callers cost
/// few flushes. The schema version is kept in <c>PRAGMA user_version</c>; a file that is corrupt, not an outbox, or
/// from a newer version fails <see cref="InitializeAsync"/> with <see cref="UsageOutboxException"/> and is left as it is.
/// </summary>
/// <remarks>
/// Schema 1: <c>outbox(operation_id TEXT PRIMARY KEY, state INTEGER, payload TEXT (OutboxEntry JSON), created_at
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
    private readonly Channel<Operation> _queue = Channel.CreateUnbounded<Operation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteCommand? _upsert;
    private SqliteCommand? _delete;
    private Task _writer = Task.CompletedTask;
    private bool _initialized;
    private bool _disposed;

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
            _upsert = connection.CreateCommand();
            _upsert.CommandText =
                "INSERT INTO outbox (operation_id, state, payload, created_at, updated_at) VALUES ($id, $state, $payload, $created, $updated) " +
                "ON CONFLICT (operation_id) DO UPDATE SET state = excluded.state, payload = excluded.payload, created_at = excluded.created_at, updated_at = excluded.updated_at";
            _upsert.Parameters.Add("$id", SqliteType.Text);
            _upsert.Parameters.Add("$state", SqliteType.Integer);
            _upsert.Parameters.Add("$payload", SqliteType.Text);
            _upsert.Parameters.Add("$created", SqliteType.Integer);
            _upsert.Parameters.Add("$updated", SqliteType.Integer);
            _delete = connection.CreateCommand();
            _delete.CommandText = "DELETE FROM outbox WHERE operation_id = $id";
            _delete.Parameters.Add("$id", SqliteType.Text);
            _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
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

        // Serialize on the caller's thread: the single writer thread only touches the database.
        var rows = entries.Select(e => new Row(e.OperationId, (int)e.State, e.ToJson(), e.CreatedAt.ToUnixTimeMilliseconds())).ToArray();
        return Submit(new Operation(OperationKind.Upsert, rows, null, null));
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

    /// <summary>Finishes the writes in progress and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _upsert?.Dispose();
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

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Operation>(_options.MaxWritesPerCommit);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxWritesPerCommit && reader.TryRead(out var operation))
            {
                batch.Add(operation);
            }

            try
            {
                Apply(batch);
                foreach (var operation in batch)
                {
                    operation.Done.TrySetResult();
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
                        operation.Done.TrySetResult();
                    }
                    catch (Exception e)
                    {
                        operation.Done.TrySetException(Wrap(e));
                    }
                }
            }
            catch (Exception e)
            {
                batch[0].Done.TrySetException(Wrap(e));
            }
#pragma warning restore CA1031
        }
    }

    private void Apply(List<Operation> batch)
    {
        var connection = _connection!;
        var writes = batch.Any(o => o.Kind is OperationKind.Upsert or OperationKind.Remove);
        using var transaction = writes ? connection.BeginTransaction() : null;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var operation in batch)
        {
            switch (operation.Kind)
            {
                case OperationKind.Upsert:
                    _upsert!.Transaction = transaction;
                    foreach (var row in operation.Rows!)
                    {
                        _upsert.Parameters["$id"].Value = row.OperationId;
                        _upsert.Parameters["$state"].Value = row.State;
                        _upsert.Parameters["$payload"].Value = row.Payload;
                        _upsert.Parameters["$created"].Value = row.CreatedAt;
                        _upsert.Parameters["$updated"].Value = now;
                        _upsert.ExecuteNonQuery();
                    }

                    break;
                case OperationKind.Remove:
                    _delete!.Transaction = transaction;
                    foreach (var id in operation.Ids!)
                    {
                        _delete.Parameters["$id"].Value = id;
                        _delete.ExecuteNonQuery();
                    }

                    break;
                case OperationKind.Get:
                    operation.Result = Read(connection, transaction, "SELECT operation_id, payload FROM outbox WHERE operation_id = $p", operation.Ids![0]);
                    break;
                case OperationKind.Load:
                    operation.Result = Read(connection, transaction, "SELECT operation_id, payload FROM outbox WHERE state = $p ORDER BY created_at, rowid", operation.State!.Value);
                    break;
            }
        }

        transaction?.Commit();
    }

    private static List<OutboxEntry> Read(SqliteConnection connection, SqliteTransaction? transaction, string sql, object parameter)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", parameter);
        using var reader = command.ExecuteReader();
        var result = new List<OutboxEntry>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            try
            {
                result.Add(OutboxEntry.FromJson(reader.GetString(1)));
            }
            catch (JsonException e)
            {
                throw new UsageOutboxException($"The usage outbox row '{id}' cannot be read ({e.Message}); the file was left untouched.", e);
            }
        }

        return result;
    }

    private Task Submit(Operation operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException("Call InitializeAsync before using the outbox.");
        }

        return _queue.Writer.TryWrite(operation) ? operation.Done.Task : throw new ObjectDisposedException(nameof(SqliteUsageOutbox));
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
        Remove,
        Get,
        Load,
    }

    private sealed record Row(string OperationId, int State, string Payload, long CreatedAt);

    private sealed class Operation(OperationKind kind, Row[]? rows, string[]? ids, int? state)
    {
        public OperationKind Kind { get; } = kind;

        public Row[]? Rows { get; } = rows;

        public string[]? Ids { get; } = ids;

        public int? State { get; } = state;

        public List<OutboxEntry>? Result { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
