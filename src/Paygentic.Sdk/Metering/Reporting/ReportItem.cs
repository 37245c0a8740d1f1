namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>Where a report stands in this process's delivery (its outbox row says where it stands durably).</summary>
internal enum ReportItemState
{
    /// <summary>Waiting: due now or after its backoff; in no channel (perhaps in an overflow queue).</summary>
    Idle = 0,

    /// <summary>In a sender's channel.</summary>
    Queued = 1,

    /// <summary>Taken by a sender; on the wire or being settled.</summary>
    InFlight = 2,

    /// <summary>Settled for good (delivered, duplicate or dead-lettered); never sent again by this process.</summary>
    Done = 3,
}

/// <summary>
/// A pending report and who waits for its outcome.
/// </summary>
/// <remarks>
/// Lock-free invariants (the scheduler, the senders and <c>FlushAsync</c> race on the state):
/// <list type="bullet">
/// <item>Only these transitions exist, each a compare-and-swap: Idle → Queued (<see cref="TryQueue"/>, whoever writes it to
/// a channel), Queued → Idle (<see cref="Unqueue"/>, the same writer when the channel refused it), Queued → InFlight
/// (<see cref="TryTake"/>, the sender that read it), InFlight → Idle (<see cref="Retry"/>, the settler or a failed send)
/// and InFlight → Done (<see cref="Finish"/>, the settler). So at most one channel holds a report at a time and at most one
/// sender sends it; a stale copy read from a channel fails <see cref="TryTake"/> and is dropped.</item>
/// <item><see cref="Deferred"/> is 1 while the report sits in an overflow queue; only the scheduler clears it, before its
/// second look at the state, so a report that went idle meanwhile is either seen idle there or deferred again.</item>
/// <item><see cref="DueAt"/> is written only by the party that owns the report in that state (settler while in flight,
/// flush to force "now"); a reader that sees an older value at worst schedules one tick late.</item>
/// </list>
/// The item locks itself for its waiters: it is private to the reporter, and a lock object per report cost an allocation.
/// </remarks>
internal sealed class ReportItem(OutboxEntry entry)
{
    private List<TaskCompletionSource<ReportState>>? _waiters;
    private ReportState? _final;
    private int _state;

    // 1 while the report is in an overflow queue (see ReportScheduler.Defer and DrainOverflow).
    public int Deferred;

    public OutboxEntry Entry { get; set; } = entry;

    public DateTimeOffset DueAt { get; set; }

    public ReportItemState State => (ReportItemState)Volatile.Read(ref _state);

    public bool IsIdle => Volatile.Read(ref _state) == (int)ReportItemState.Idle;

    public bool IsStandard => Entry.Report!.Strategy == MeteringStrategy.Standard;

    public bool HasWaiters
    {
        get
        {
            lock (this)
            {
                return _waiters is { Count: > 0 };
            }
        }
    }

    public bool TryQueue() => Transition(ReportItemState.Idle, ReportItemState.Queued);

    public void Unqueue() => Volatile.Write(ref _state, (int)ReportItemState.Idle);

    public bool TryTake() => Transition(ReportItemState.Queued, ReportItemState.InFlight);

    public bool Retry() => Transition(ReportItemState.InFlight, ReportItemState.Idle);

    public void Finish() => Volatile.Write(ref _state, (int)ReportItemState.Done);

    public Task<ReportState> AddWaiter()
    {
        lock (this)
        {
            if (_final is { } state)
            {
                return Task.FromResult(state);
            }

            var waiter = new TaskCompletionSource<ReportState>(TaskCreationOptions.RunContinuationsAsynchronously);
            (_waiters ??= []).Add(waiter);
            return waiter.Task;
        }
    }

    /// <summary>Tells the waiters where the report stands; a final state is also the answer to later waiters.</summary>
    public void Signal(ReportState state, bool final = false)
    {
        List<TaskCompletionSource<ReportState>>? waiters;
        lock (this)
        {
            if (final)
            {
                _final = state;
            }

            waiters = _waiters;
            _waiters = null;
        }

        if (waiters is not null)
        {
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult(state);
            }
        }
    }

    private bool Transition(ReportItemState from, ReportItemState to) =>
        Interlocked.CompareExchange(ref _state, (int)to, (int)from) == (int)from;
}
