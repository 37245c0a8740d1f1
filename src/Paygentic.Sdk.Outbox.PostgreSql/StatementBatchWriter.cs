using Npgsql;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Sends queued writes as one <see cref="NpgsqlBatch"/>: one round trip, and one implicit transaction (Npgsql sends
/// a single Sync for the batch, so it commits or fails as a whole without BEGIN/COMMIT round trips). A deadlock or
/// serialization failure retries the batch; any other database error re-runs the requests one by one so only the
/// offending writer fails, not every writer that happened to share its batch.
/// </summary>
/// <remarks>
/// A batch whose every write is <see cref="WriteStatement.Relaxed"/> starts by turning <c>synchronous_commit</c> off for
/// its own transaction: its commit returns once the log record is in the server's buffers, and the WAL writer flushes
/// it shortly after. One durable write in the batch keeps the whole batch durable (its writer must wait for the flush, and
/// the relaxed writes riding with it lose nothing by waiting too). Retries and the one-by-one re-run keep each write's
/// own durability: a relaxed write re-run alone is still relaxed, a durable one still durable.
/// </remarks>
internal sealed class StatementBatchWriter : IAsyncDisposable
{
    private const int MaxAttempts = 3;

    // Batches committing at once, each on its own pooled connection: one commit waits for the disk (fsync), and
    // PostgreSQL flushes the log once for the commits waiting together, so a second batch in flight lets writes
    // queue behind neither a commit nor the disk. More than two measured no better on two cores (bench/README.md).
    private const int BatchesInFlight = 2;

    // Transaction-scoped (is_local): Npgsql sends a batch with one Sync, so its statements run in one implicit
    // transaction, the commit at the Sync reads the setting, and it ends with that transaction. It must not outlive the
    // batch: the store's connections are not reset on return to the pool, so a session-level setting would silently
    // relax whatever the connection commits next. set_config rather than SET LOCAL: the server takes both, but warns
    // on every SET LOCAL outside an explicit BEGIN, and explicit BEGIN/COMMIT statements would leave a batch that fails
    // midway in an aborted transaction block for the connection to roll back.
    private const string RelaxCommit = "SELECT set_config('synchronous_commit', 'off', true)";
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommitQueue<WriteStatement, int> _queue;

    public StatementBatchWriter(NpgsqlDataSource dataSource, int maxWritesPerBatch)
    {
        _dataSource = dataSource;
        _queue = new GroupCommitQueue<WriteStatement, int>(FlushAsync, maxWritesPerBatch, BatchesInFlight);
    }

    /// <summary>Batches sent so far (for tests and monitoring).</summary>
    public long FlushCount => _queue.FlushCount;

    /// <summary>Writes sent so far.</summary>
    public long WriteCount => _queue.ItemCount;

    /// <summary>Queues a write; completes with the rows it affected once its batch committed.</summary>
    public Task<int> WriteAsync(WriteStatement statement, CancellationToken cancellationToken) =>
        _queue.EnqueueAsync(statement, cancellationToken);

    public ValueTask DisposeAsync() => _queue.DisposeAsync();

    private async Task FlushAsync(IReadOnlyList<GroupCommitQueue<WriteStatement, int>.Item> items, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var affected = await ExecuteAsync(items, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < items.Count; i++)
                {
                    items[i].SetResult(affected[i]);
                }

                return;
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                // Replicas writing overlapping rows in different orders can deadlock; PostgreSQL aborted one
                // transaction whole, so running it again is safe.
            }
            catch (PostgresException) when (items.Count > 1)
            {
                await IsolateAsync(items, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task IsolateAsync(IReadOnlyList<GroupCommitQueue<WriteStatement, int>.Item> items, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            try
            {
                var affected = await ExecuteAsync([item], cancellationToken).ConfigureAwait(false);
                item.SetResult(affected[0]);
            }
#pragma warning disable CA1031 // the writer receives its own failure
            catch (Exception e)
#pragma warning restore CA1031
            {
                item.SetException(e);
            }
        }
    }

    private async Task<int[]> ExecuteAsync(IReadOnlyList<GroupCommitQueue<WriteStatement, int>.Item> items, CancellationToken cancellationToken)
    {
        await using var batch = _dataSource.CreateBatch();
        var relaxed = AllRelaxed(items);
        if (relaxed)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(RelaxCommit));
        }

        foreach (var item in items)
        {
            var command = new NpgsqlBatchCommand(item.Request.Sql);
            foreach (var value in item.Request.Values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var first = relaxed ? 1 : 0;
        var affected = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            affected[i] = batch.BatchCommands[first + i].RecordsAffected;
        }

        return affected;
    }

    private static bool AllRelaxed(IReadOnlyList<GroupCommitQueue<WriteStatement, int>.Item> items)
    {
        foreach (var item in items)
        {
            if (!item.Request.Relaxed)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
