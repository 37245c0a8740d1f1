using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering.Tests.Infrastructure;

/// <summary>
/// Drives a guard's reporter on a fake clock without sleeping: moves the clock only while the scheduler is parked on its
/// timer, awaits the round that the move causes, and awaits conditions re-checked whenever the reporter settles a batch
/// or its scheduler completes a round (the reporter's test seams) — never by polling. Create it before the guard starts.
/// </summary>
internal sealed class ReporterDriver : IDisposable
{
    /// <summary>A safety net in real time: every await here is for an event that must come; this only ends a broken test.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private readonly UsageReporter _reporter;
    private readonly FakeTimeProvider _time;
    private readonly object _gate = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waits = [];
    private TaskCompletionSource<DateTimeOffset> _parked = NewSource<DateTimeOffset>();
    private DateTimeOffset _lastScan = DateTimeOffset.MinValue;
    private int _lingering = -1;

    public ReporterDriver(IMeteringGuard guard, FakeTimeProvider time)
    {
        _reporter = (UsageReporter)guard.Reports;
        _time = time;
        _reporter.Scheduler.Parked = OnParked;
        _reporter.Scheduler.RoundCompleted = OnRound;
        _reporter.Settler.Settled = Recheck;
        _reporter.LegacySender.Lingering = OnLingering;
    }

    public UsageReporter Reporter => _reporter;

    /// <summary>How many reports the legacy sender's lingering batch held when it last waited for more (-1: never).</summary>
    public int LingeringBatch => Volatile.Read(ref _lingering);

    /// <summary>
    /// Waits until the scheduler is parked on its timer, moves the clock by <paramref name="by"/> and, when that reaches
    /// the scheduler's next scan, waits until a scan has run at the new time (its reports are then in the senders'
    /// hands: await their outcome with <see cref="UntilAsync"/>).
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Task<DateTimeOffset> parked;
        lock (_gate)
        {
            parked = _parked.Task;
        }

        var nextScan = await Bounded(parked, "the scheduler parks on its timer");
        _time.Advance(by);
        var now = _time.GetUtcNow();
        if (now >= nextScan)
        {
            await UntilAsync(() => _lastScan >= now);
        }
    }

    /// <summary>Completes once <paramref name="condition"/> holds, checked now and after each settled batch, round and linger.</summary>
    public Task UntilAsync(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition())
            {
                return Task.CompletedTask;
            }

            _waits.Add((condition, done));
        }

        return Bounded(done.Task, expression);
    }

    public void Dispose()
    {
        _reporter.Scheduler.Parked = null;
        _reporter.Scheduler.RoundCompleted = null;
        _reporter.Settler.Settled = null;
        _reporter.LegacySender.Lingering = null;
    }

    private static async Task<T> Bounded<T>(Task<T> task, string? expected)
    {
        try
        {
            return await task.WaitAsync(Bound);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Never came to pass within {Bound.TotalSeconds} s: {expected}", e);
        }
    }

    private static async Task Bounded(Task task, string? expected)
    {
        try
        {
            await task.WaitAsync(Bound);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"Never came to pass within {Bound.TotalSeconds} s: {expected}", e);
        }
    }

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void OnParked(DateTimeOffset nextScan)
    {
        lock (_gate)
        {
            _parked.TrySetResult(nextScan);
        }
    }

    private void OnRound(DateTimeOffset now, bool scanned)
    {
        lock (_gate)
        {
            // Woken: the loop is no longer parked until it says so again.
            if (_parked.Task.IsCompleted)
            {
                _parked = NewSource<DateTimeOffset>();
            }

            if (scanned)
            {
                _lastScan = now;
            }
        }

        Recheck();
    }

    private void OnLingering(int batch)
    {
        Volatile.Write(ref _lingering, batch);
        Recheck();
    }

    private void Recheck()
    {
        lock (_gate)
        {
            for (var i = _waits.Count - 1; i >= 0; i--)
            {
                if (_waits[i].Condition())
                {
                    _waits[i].Done.TrySetResult();
                    _waits.RemoveAt(i);
                }
            }
        }
    }
}
