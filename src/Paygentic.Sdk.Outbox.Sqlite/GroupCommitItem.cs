namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>
/// An operation queued for a group commit, and its outcome. The task is made when asked for: a caller that commits its
/// own operation gets a completed task and no completion source is allocated; a caller whose operation another thread
/// commits gets one.
/// </summary>
internal abstract class GroupCommitItem
{
    private const int Pending = 0;
    private const int Succeeded = 1;
    private const int Failed = 2;
    private int _outcome;
    private Exception? _error;
    private TaskCompletionSource? _waiter;

    // The managed thread that completed the operation (0 while pending): see CompletedHereAndUnobserved.
    private int _completedBy;

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

        _completedBy = Environment.CurrentManagedThreadId;
        OnCompleted();

        if (Volatile.Read(ref _waiter) is { } waiter)
        {
            Signal(waiter);
        }
    }

    /// <summary>
    /// Whether the operation succeeded, was completed by the calling thread and nobody asked for a task before that: then
    /// the caller, having committed it itself, is the last to hold it, and may reuse the object.
    /// </summary>
    protected bool CompletedHereAndUnobserved =>
        Volatile.Read(ref _outcome) == Succeeded && _completedBy == Environment.CurrentManagedThreadId && Volatile.Read(ref _waiter) is null;

    /// <summary>Makes a finished operation pending again, for reuse by the thread that finished it.</summary>
    protected void ResetOutcome()
    {
        _error = null;
        _waiter = null;
        _completedBy = 0;
        Volatile.Write(ref _outcome, Pending);
    }

    /// <summary>Called once, when the outcome is known: the operation's resources may be released.</summary>
    protected virtual void OnCompleted()
    {
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
