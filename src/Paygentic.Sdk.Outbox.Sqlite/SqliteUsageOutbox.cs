using Microsoft.Data.Sqlite;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>
/// A durable <see cref="IUsageOutbox"/> in one SQLite file (WAL journal). Writes are group-committed: a caller that finds
/// the file idle commits on its own thread, together with every write queued meanwhile (one transaction, and at most one
/// disk flush, for all of them); while many write at once, the commit is left to the thread pool so it gathers more. The schema version is kept in <c>PRAGMA user_version</c>; a file that is corrupt, not an
/// outbox, or from a newer version fails <see cref="InitializeAsync"/> with <see cref="UsageOutboxException"/> and is
/// left as it is. Cancellation is honoured until an operation joins a commit; a write that joined one completes.
/// </summary>
public sealed class SqliteUsageOutbox : IUsageOutbox, IAsyncDisposable
{
    /// <summary>The schema version this build writes and reads (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 1;

    /// <summary>The <c>PRAGMA application_id</c> that marks a file as a Paygentic outbox ("PYGT").</summary>
    public const int ApplicationId = 0x50594754;

    private readonly SqliteOutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteOutboxStatements? _statements;
    private GroupCommitQueue<OutboxOperation>? _queue;
    private int _disposeStarted;
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
        : this(options, TimeProvider.System)
    {
    }

    /// <summary>Creates an outbox with settings and a clock (rows record when they were written).</summary>
    /// <param name="options">The settings; <see cref="SqliteOutboxOptions.Path"/> is required.</param>
    /// <param name="timeProvider">The clock (tests pass a fake).</param>
    public SqliteUsageOutbox(SqliteOutboxOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
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
        _time = timeProvider;
        FilePath = System.IO.Path.GetFullPath(options.Path);
    }

    /// <summary>The full path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_queue is not null)
            {
                return;
            }

            var directory = System.IO.Path.GetDirectoryName(FilePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = FilePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
            }.ToString());
            try
            {
                connection.Open();
                SqliteOutboxSchema.Open(connection, FilePath, _options);
            }
            catch (SqliteException e) when (e.SqliteErrorCode is SqliteErrorCodes.Busy or SqliteErrorCodes.Locked)
            {
                connection.Dispose();
                throw new UsageOutboxException($"The usage outbox '{FilePath}' is in use by another process (it is opened exclusively so reports are delivered once).", e);
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            _connection = connection;
            _statements = new SqliteOutboxStatements(connection, FilePath, _time);
            _queue = new GroupCommitQueue<OutboxOperation>(_options.MaxWritesPerCommit, _statements.Commit, Wrap);
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

        // Serialized before taking part in a commit: the committing thread only touches the database.
        if (entries.Count == 1)
        {
            var write = RowWrite.Rent(OutboxOperationKind.Upsert, OutboxRow.From(entries[0]));
            var written = Submit(write, cancellationToken);
            write.ReturnIfFinishedHere();
            return written;
        }

        var rows = new OutboxRow[entries.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = OutboxRow.From(entries[i]);
        }

        return Submit(new RowWrite(OutboxOperationKind.Upsert, rows), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> TryAddAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var insert = RowWrite.Rent(OutboxOperationKind.Insert, OutboxRow.From(entry));
        var written = Submit(insert, cancellationToken);
        if (written.IsCompletedSuccessfully)
        {
            var inserted = insert.Inserted;
            insert.ReturnIfFinishedHere();
            return inserted;
        }

        await written.ConfigureAwait(false);
        return insert.Inserted;
    }

    /// <inheritdoc />
    public Task RemoveAsync(IReadOnlyList<string> operationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        return operationIds.Count == 0 ? Task.CompletedTask : Submit(new KeyedOperation(OutboxOperationKind.Remove, ids: [.. operationIds]), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<OutboxEntry?> GetAsync(string operationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        var read = new KeyedOperation(OutboxOperationKind.Get, ids: [operationId]);
        await Submit(read, cancellationToken).ConfigureAwait(false);
        return read.Result is { Count: > 0 } found ? found[0] : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxEntry>> LoadAsync(OutboxEntryState state, CancellationToken cancellationToken)
    {
        var read = new KeyedOperation(OutboxOperationKind.Load, state: (int)state);
        await Submit(read, cancellationToken).ConfigureAwait(false);
        return read.Result ?? [];
    }

    /// <inheritdoc />
    /// <remarks>Changes the rows' state in place (one UPDATE each, no payload written); reads show them as tombstones.</remarks>
    public Task MarkDeliveredAsync(IReadOnlyList<OutboxEntry> reports, DateTimeOffset deliveredAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            return Task.CompletedTask;
        }

        var ids = new string[reports.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = reports[i].OperationId;
        }

        return Submit(new KeyedOperation(OutboxOperationKind.MarkDelivered, ids: ids) { Before = deliveredAt.ToUnixTimeMilliseconds() }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> RemoveWrittenBeforeAsync(OutboxEntryState state, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var purge = new KeyedOperation(OutboxOperationKind.Purge, state: (int)state) { Before = before.ToUnixTimeMilliseconds() };
        await Submit(purge, cancellationToken).ConfigureAwait(false);
        return purge.Removed;
    }

    /// <summary>Finishes the writes in progress and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        // One disposer: a second, overlapping call must not dispose the statements while the first waits for a commit.
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }

        _disposed = true;
        if (_queue is { } queue)
        {
            await queue.CloseAsync().ConfigureAwait(false);
        }

        _statements?.Dispose();
        _connection?.Dispose();
        _initGate.Dispose();
    }

    private Task Submit(OutboxOperation operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_queue is not { } queue)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            throw new InvalidOperationException("Call InitializeAsync before using the outbox.");
        }

        return queue.Submit(operation);
    }

    private Exception Wrap(Exception e) =>
        e as UsageOutboxException ?? new UsageOutboxException($"Writing the usage outbox '{FilePath}' failed: {e.Message}", e);
}
