using System.Collections.Concurrent;

namespace CodeRunner.Server.Execution;

/// <summary>Lets a <c>wait=true</c> request await its submission's terminal state instead of polling the database.</summary>
internal sealed class CompletionSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>Registers before the submission is queued, so a fast worker cannot finish before anyone listens.</summary>
    public Task Register(string token) =>
        _waiters.GetOrAdd(token, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Finished(string token)
    {
        if (_waiters.TryRemove(token, out TaskCompletionSource? waiter))
        {
            waiter.TrySetResult();
        }
    }
}
