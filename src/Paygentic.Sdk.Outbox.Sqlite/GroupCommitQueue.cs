using System.Collections.Concurrent;

namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>
/// Group commit without a writer thread: the caller that finds no commit in progress commits on its own thread, together
/// with everything queued meanwhile (one transaction, at most one disk flush, for all of them). A lone caller pays no
/// thread hand-off (after a commit of several, the first lone one pays one). While others write too (the last commit
/// held more than one operation), the commit is queued on the thread pool instead of run at once: the callers that are
/// already runnable add their writes before it runs, so one commit, and one write of the pages they share, serves many
/// of them. Knows nothing of SQLite: <c>commit</c> applies a batch all or nothing, or throws.
/// </summary>
/// <remarks>
/// Lock-free invariants: <c>_committing</c> is 1 while exactly one thread commits; whoever moves it from 0 to 1 commits.
/// It is cleared with a full fence before the queue is looked at again, so a writer that queued meanwhile and saw it set
/// is never left without a committer. Nothing is queued once <see cref="CloseAsync"/> has taken the gate. The queue is
/// itself the work item that commits on the pool: at most one is scheduled at a time (the turn it runs in is the one
/// <c>_committing</c> granted), so scheduling it allocates nothing.
/// </remarks>
/// <typeparam name="T">The queued operation.</typeparam>
/// <param name="maxPerCommit">The most operations one commit applies.</param>
/// <param name="commit">Applies a batch all or nothing, or throws.</param>
/// <param name="wrap">Turns a failure of <paramref name="commit"/> into what the operation's caller sees.</param>
/// <param name="schedule">Runs a commit turn later (the thread pool's queue; tests run it when they choose).</param>
internal sealed class GroupCommitQueue<T>(int maxPerCommit, Action<List<T>> commit, Func<Exception, Exception> wrap, Action<IThreadPoolWorkItem>? schedule = null)
    : IThreadPoolWorkItem
    where T : GroupCommitItem
{
    private readonly Action<IThreadPoolWorkItem> _schedule = schedule ?? (static item => ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false));

    private readonly ConcurrentQueue<T> _queue = new();
    private readonly Lock _gate = new();

    // Used by the one committing thread only (the turn _committing grants), so reused for every batch.
    private readonly List<T> _batch = new(Math.Min(maxPerCommit, 1024));
    private int _committing;
    private int _lastBatch;
    private bool _closed;

    /// <summary>How many batches were committed (diagnostics and tests).</summary>
    public int Commits { get; private set; }

    /// <summary>
    /// Queues an operation. When no commit is in progress, commits the queue on this thread, or schedules that commit on the
    /// thread pool while others are writing too (see the class summary).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The queue is closed.</exception>
    public Task Submit(T operation)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _queue.Enqueue(operation);
        }

        if (Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            if (Volatile.Read(ref _lastBatch) > 1)
            {
                _schedule(this);
            }
            else
            {
                CommitQueued();
                Release();
            }
        }

        return operation.Task;
    }

    /// <summary>Refuses new operations, waits for the commit in progress, then commits what was queued before.</summary>
    public async ValueTask CloseAsync()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        while (Interlocked.CompareExchange(ref _committing, 1, 0) != 0)
        {
            // A commit takes microseconds to milliseconds; this runs once, at shutdown.
            await Task.Delay(1).ConfigureAwait(false);
        }

        while (!_queue.IsEmpty)
        {
            CommitQueued();
        }
    }

    /// <summary>
    /// Ends a commit turn. Work queued by a caller that saw this turn in progress is committed on the thread pool, not by
    /// this caller: one caller's wait is never stretched by a stream of others' writes.
    /// </summary>
    private void Release()
    {
        Interlocked.Exchange(ref _committing, 0);
        if (!_queue.IsEmpty && !Volatile.Read(ref _closed) && Interlocked.CompareExchange(ref _committing, 1, 0) == 0)
        {
            _schedule(this);
        }
    }

    /// <summary>A commit turn on the thread pool (see the remarks).</summary>
    void IThreadPoolWorkItem.Execute()
    {
        CommitQueued();
        Release();
    }

    /// <summary>Commits up to <c>maxPerCommit</c> queued operations at once; when that fails, each alone, so one bad write fails only its caller.</summary>
    private void CommitQueued()
    {
        var batch = _batch;
        batch.Clear();
        while (batch.Count < maxPerCommit && _queue.TryDequeue(out var operation))
        {
            batch.Add(operation);
        }

        if (batch.Count == 0)
        {
            return;
        }

        Commits++;
        Volatile.Write(ref _lastBatch, batch.Count);
        try
        {
            try
            {
                commit(batch);
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
                        commit([operation]);
                        operation.Complete(null);
                    }
                    catch (Exception e)
                    {
                        operation.Complete(wrap(e));
                    }
                }
            }
            catch (Exception e)
            {
                batch[0].Complete(wrap(e));
            }
#pragma warning restore CA1031
        }
        finally
        {
            // The completed operations are not kept alive until the next commit.
            batch.Clear();
        }
    }
}
