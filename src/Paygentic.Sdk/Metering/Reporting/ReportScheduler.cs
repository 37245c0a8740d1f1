using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// Decides when each report goes to its sender: at once when completed, after its backoff when a send failed, and —
/// when a bounded channel is full — from an ordered overflow queue as the sender frees room.
/// </summary>
/// <remarks>
/// Lock-free invariants (with <see cref="ReportItem"/>'s):
/// <list type="bullet">
/// <item>A due report is always in its channel or in its overflow queue: <see cref="TrySchedule"/> defers what a full
/// channel refused, and <see cref="ScanForDue"/> finds what left backoff, once per interval.</item>
/// <item>Only the scheduler loop dequeues an overflow queue, so the head it peeks is the head it dequeues.</item>
/// <item>The overflow mark is set after a refused report is idle again, and the sender clears it on its next read and
/// wakes the loop: a refill the mark asks for always finds the report.</item>
/// </list>
/// </remarks>
internal sealed class ReportScheduler
{
    private readonly ConcurrentDictionary<string, ReportItem> _pending;
    private readonly MeteringOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<ReportItem> _legacyOverflow = new();
    private readonly ConcurrentQueue<ReportItem> _eventOverflow = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // 1 when a due report was turned away by a full channel since a sender last freed room.
    private int _overflow;
    private volatile bool _closed;

    public ReportScheduler(ConcurrentDictionary<string, ReportItem> pending, MeteringOptions options, TimeProvider time)
    {
        _pending = pending;
        _options = options;
        _time = time;
        var channelOptions = new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait };
        LegacyReady = Channel.CreateBounded<ReportItem>(channelOptions);
        EventReady = Channel.CreateBounded<ReportItem>(channelOptions);
    }

    public Channel<ReportItem> LegacyReady { get; }

    // Test seams (null in production; set through InternalsVisibleTo) so fake-clock tests need no sleeps. Parked: the
    // loop armed its timer for the next scan (the argument) and now waits; a test moves the clock only after this, never
    // between the loop reading the clock and arming the timer (the timer would then fire late). RoundCompleted: a round
    // ran at that time (and whether it scanned), so a test awaits the round instead of sleeping and hoping it ran.
    internal Action<DateTimeOffset>? Parked { get; set; }

    internal Action<DateTimeOffset, bool>? RoundCompleted { get; set; }

    /// <summary>Told of each report written to a channel (the reporter ends a sender's linger with it when due).</summary>
    public Action<ReportItem>? Offered { get; set; }

    public Channel<ReportItem> EventReady { get; }

    /// <summary>Whether the item is the one <c>_pending</c> holds for its operation (a newer one replaces it).</summary>
    public bool IsCurrent(ReportItem item) => _pending.TryGetValue(item.Entry.OperationId, out var current) && ReferenceEquals(current, item);

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Called by a sender after it read from its channel: room was freed, so refill now if a report was refused.</summary>
    public void RoomFreed()
    {
        if (Volatile.Read(ref _overflow) == 1 && Interlocked.Exchange(ref _overflow, 0) == 1)
        {
            Wake();
        }
    }

    /// <summary>No more reports are accepted by the channels; the loop ends when <see cref="RunAsync"/>'s token fires.</summary>
    public void CloseChannels()
    {
        _closed = true;
        LegacyReady.Writer.TryComplete();
        EventReady.Writer.TryComplete();
    }

    public void Close() => _wake.Writer.TryComplete();

    /// <summary>Hands an idle report to its channel; returns false when the channel was full and the report was deferred.</summary>
    public bool TrySchedule(ReportItem item)
    {
        if (TryOffer(item))
        {
            return true;
        }

        Defer(item);
        return false;
    }

    /// <summary>Puts a report at the end of its overflow queue, unless it is there already.</summary>
    public void Defer(ReportItem item)
    {
        if (Interlocked.Exchange(ref item.Deferred, 1) == 0)
        {
            (item.IsStandard ? _eventOverflow : _legacyOverflow).Enqueue(item);
        }
    }

    /// <summary>
    /// Offers a report to its channel, or, once that channel turned one away in this round, defers it straight away: a
    /// full channel is not asked again for each of a large backlog.
    /// </summary>
    public void ScheduleOrDefer(ReportItem item, ref bool legacyFull, ref bool eventsFull)
    {
        var standard = item.IsStandard;
        if (standard ? eventsFull : legacyFull)
        {
            Defer(item);
        }
        else if (!TrySchedule(item))
        {
            if (standard)
            {
                eventsFull = true;
            }
            else
            {
                legacyFull = true;
            }
        }
    }

    /// <summary>The loop: refills the channels from the overflow queues when woken, and finds due retries once per interval.</summary>
    public async Task RunAsync(Func<Task> housekeeping, TimeSpan housekeepingInterval, CancellationToken token)
    {
        var interval = _options.RetryBaseDelay < TimeSpan.FromSeconds(1) ? _options.RetryBaseDelay : TimeSpan.FromSeconds(1);
        var nextScan = _time.GetUtcNow() + interval;
        var nextHousekeeping = _time.GetUtcNow() + housekeepingInterval;
        try
        {
            while (true)
            {
                var wait = nextScan - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    using var tick = new CancellationTokenSource(wait, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(tick.Token, token);
                    Parked?.Invoke(nextScan);
                    try
                    {
                        if (!await _wake.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                        // Time for the scan for due retries.
                    }
                }

                _wake.Reader.TryRead(out _);
                var now = _time.GetUtcNow();
                var scanned = Step(now, scan: now >= nextScan);
                if (scanned)
                {
                    nextScan = now + interval;
                }

                if (now >= nextHousekeeping)
                {
                    nextHousekeeping = now + housekeepingInterval;
                    await housekeeping().ConfigureAwait(false);
                }

                RoundCompleted?.Invoke(now, scanned);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One round of the loop, synchronous (tests drive it with a fake clock): refills the channels from the overflow
    /// queues, oldest first, then — when <paramref name="scan"/> — finds reports whose backoff has ended. Only due reports
    /// move: one in backoff waits for its time whatever woke the scheduler. Returns whether it scanned.
    /// </summary>
    internal bool Step(DateTimeOffset now, bool scan)
    {
        var legacyFull = DrainOverflow(_legacyOverflow, now);
        var eventsFull = DrainOverflow(_eventOverflow, now);
        if (scan)
        {
            // Once per interval whatever woke the loop: frequent refill wakes must not starve retries, and a scan of a
            // large backlog per refill cost more than the sends.
            ScanForDue(now, legacyFull, eventsFull);
        }

        return scan;
    }

    /// <summary>
    /// The delay before the next attempt: exponential from <see cref="MeteringOptions.RetryBaseDelay"/>, capped, with a
    /// deterministic 0–20 % jitter that spreads retries of many reports without a random source.
    /// </summary>
    public TimeSpan Backoff(string operationId, int attempts)
    {
        var exponent = Math.Min(attempts - 1, 20);
        var delay = _options.RetryBaseDelay * Math.Pow(2, exponent);
        if (delay > _options.RetryMaxDelay)
        {
            delay = _options.RetryMaxDelay;
        }

        var jitter = (uint)HashCode.Combine(operationId, attempts) % 200 / 1000.0;
        return delay + (delay * jitter);
    }

    /// <summary>
    /// Writes an idle report to its channel. When the channel is full it leaves the report idle and sets the overflow
    /// mark, so the sender's next read wakes the loop; returns false then. Does not queue the report anywhere.
    /// </summary>
    private bool TryOffer(ReportItem item)
    {
        var channel = item.IsStandard ? EventReady : LegacyReady;
        while (item.TryQueue())
        {
            if (channel.Writer.TryWrite(item))
            {
                Offered?.Invoke(item);
                return true;
            }

            item.Unqueue();
            Interlocked.Exchange(ref _overflow, 1);
            if (_closed || channel.Reader.Count >= _options.QueueCapacity)
            {
                // Still full after the mark: the sender's next read sees the mark.
                return false;
            }

            // Room was freed between the refusal and the mark, perhaps unseen by the sender: offer it again.
        }

        // Not idle: queued, in flight or settled by someone else, so there is nothing to hand over.
        return true;
    }

    /// <summary>Moves due reports from an overflow queue into its channel, oldest first; returns whether the channel filled up.</summary>
    private bool DrainOverflow(ConcurrentQueue<ReportItem> overflow, DateTimeOffset now)
    {
        while (overflow.TryPeek(out var item))
        {
            if (item.IsIdle && item.DueAt <= now && IsCurrent(item) && !TryOffer(item))
            {
                // Full: it stays at the head, and the room the sender frees next wakes this loop again.
                return true;
            }

            overflow.TryDequeue(out _);
            Interlocked.Exchange(ref item.Deferred, 0);
            if (item.IsIdle && item.DueAt <= now && IsCurrent(item) && !TrySchedule(item))
            {
                return true;
            }
        }

        return false;
    }

    private void ScanForDue(DateTimeOffset now, bool legacyFull, bool eventsFull)
    {
        // Enumerating the dictionary itself, not .Values: that would copy every pending report into a new array.
        foreach (var (_, item) in _pending)
        {
            if (!item.IsIdle || item.DueAt > now || Volatile.Read(ref item.Deferred) == 1)
            {
                continue;
            }

            ScheduleOrDefer(item, ref legacyFull, ref eventsFull);
        }
    }
}
