using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// Delivers reports from the outbox. A completed report is written to the outbox first, then handed to a bounded
/// channel; a sender drains it, batching legacy usage into <c>/v0/usage/batch</c> (≤ <see cref="MeteringOptions.MaxBatchSize"/>)
/// and sending meter events concurrently. A report leaves the outbox only once accepted; transient failures are
/// retried with backoff, permanent ones dead-lettered. A scheduler re-sends what is due and what did not fit in the
/// channel: on its periodic tick, and at once when the sender frees room in a channel that turned a report away, so a
/// backlog larger than <see cref="MeteringOptions.QueueCapacity"/> drains at the speed of the sends. A report turned
/// away waits in its channel's overflow queue, in order, so a refill takes it from there instead of scanning every
/// pending report. Every send of a report carries the same idempotency key.
/// </summary>
internal sealed class UsageReporter : IUsageReporter, IDisposable
{
    private const int Idle = 0;
    private const int Queued = 1;
    private const int InFlight = 2;
    private const int Done = 3;

    // How often expired tombstones are removed.
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(10);

    private readonly IPaygenticClient _client;
    private readonly IUsageOutbox _outbox;
    private readonly MeteringOptions _options;
    private readonly TimeProvider _time;
    private readonly MeteringMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Item> _pending = new(StringComparer.Ordinal);
    private readonly Channel<Item> _legacyReady;
    private readonly Channel<Item> _eventReady;

    // Due reports a full channel turned away, oldest first; only the scheduler loop dequeues (see DrainOverflow).
    private readonly ConcurrentQueue<Item> _legacyOverflow = new();
    private readonly ConcurrentQueue<Item> _eventOverflow = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _legacySlots;
    private readonly SemaphoreSlim _eventSlots;
    private readonly CancellationTokenSource _stop = new();

    // Cancelled (and replaced) by each flush, so a batch lingering for more reports is sent at once.
    private CancellationTokenSource _lingerCut = new();
    private Task _loops = Task.CompletedTask;
    private int _deadLetters;
    private int _started;

    // 1 when a due report was turned away by a full channel since the sender last freed room (see TrySchedule).
    private int _overflow;

    public UsageReporter(IPaygenticClient client, IUsageOutbox outbox, MeteringOptions options, TimeProvider time, MeteringMetrics metrics, ILogger logger)
    {
        _client = client;
        _outbox = outbox;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        var channelOptions = new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait };
        _legacyReady = Channel.CreateBounded<Item>(channelOptions);
        _eventReady = Channel.CreateBounded<Item>(channelOptions);
        _legacySlots = new SemaphoreSlim(options.MaxConcurrentSends, options.MaxConcurrentSends);
        _eventSlots = new SemaphoreSlim(options.MaxConcurrentSends, options.MaxConcurrentSends);
        metrics.ObserveReporter(() => _pending.Count, OldestPendingAgeSeconds, () => Volatile.Read(ref _deadLetters));
    }

    public int PendingCount => _pending.Count;

    public event EventHandler<DeadLetterEventArgs>? DeadLettered;

    /// <summary>Loads pending reports and the dead-letter count from the outbox and starts the loops.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        await PurgeTombstonesAsync().ConfigureAwait(false);
        var pending = await _outbox.LoadAsync(OutboxEntryState.Pending, cancellationToken).ConfigureAwait(false);
        var dead = await _outbox.LoadAsync(OutboxEntryState.DeadLettered, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _deadLetters, dead.Count);
        var now = _time.GetUtcNow();
        foreach (var entry in pending)
        {
            // Into the overflow queues, in outbox order: the scheduler fills the channels from there as they free room,
            // rather than every one of a large backlog being offered to a full channel here.
            if (entry.Report is null)
            {
                continue;
            }

            var item = new Item(entry) { DueAt = now };
            if (_pending.TryAdd(entry.OperationId, item))
            {
                Defer(item);
            }
        }

        _loops = Task.WhenAll(
            Task.Run(() => SendLoopAsync(_legacyReady, _legacySlots, SendLegacyAsync), CancellationToken.None),
            Task.Run(() => SendLoopAsync(_eventReady, _eventSlots, SendEventsAsync), CancellationToken.None),
            Task.Run(SchedulerLoopAsync, CancellationToken.None));
        _wake.Writer.TryWrite(true);
    }

    /// <summary>How many reports were loaded at start (for the start-up log line).</summary>
    public int DeadLetterCount => Volatile.Read(ref _deadLetters);

    /// <summary>Hands a report (already in the outbox) to the sender; returns a task for its first outcome when asked.</summary>
    public Task<ReportState>? Enqueue(OutboxEntry entry, bool wait)
    {
        var item = new Item(entry) { DueAt = _time.GetUtcNow() };
        var waiter = wait ? item.AddWaiter() : null;
        _pending[entry.OperationId] = item;
        TrySchedule(item);
        return waiter;
    }

    /// <summary>Whether a report of this operation is waiting for delivery in this process.</summary>
    public bool IsPending(string operationId) => _pending.ContainsKey(operationId);

    public async Task<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var waits = new List<Task<ReportState>>();
        var legacyFull = false;
        var eventsFull = false;
        foreach (var (_, item) in _pending)
        {
            waits.Add(item.AddWaiter());

            // Due whatever the scheduler's clock reads when it drains the overflow (its 'now' may be a moment earlier).
            item.DueAt = DateTimeOffset.MinValue;
            if (Volatile.Read(ref item.Status) == Idle)
            {
                ScheduleOrDefer(item, ref legacyFull, ref eventsFull);
            }
        }

        // Also what was deferred above: the scheduler moves it into the channels as they free room. A batch lingering
        // for more reports goes now (its reports have waiters already, added above).
        _wake.Writer.TryWrite(true);
        await Interlocked.Exchange(ref _lingerCut, new CancellationTokenSource()).CancelAsync().ConfigureAwait(false);
        var states = await Task.WhenAll(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new FlushResult(
            states.Count(s => s == ReportState.Delivered),
            states.Count(s => s == ReportState.DeadLettered),
            _pending.Count);
    }

    public Task<IReadOnlyList<OutboxEntry>> GetDeadLettersAsync(CancellationToken cancellationToken = default) =>
        _outbox.LoadAsync(OutboxEntryState.DeadLettered, cancellationToken);

    public async Task<bool> RequeueAsync(string operationId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(operationId);
        if (await _outbox.GetAsync(operationId, cancellationToken).ConfigureAwait(false) is not { State: OutboxEntryState.DeadLettered, Report: not null } dead)
        {
            return false;
        }

        var requeued = dead with
        {
            State = OutboxEntryState.Pending,
            RequeuedAt = _time.GetUtcNow(),
            Attempts = 0,
            DeadLetterReason = null,
            DeadLetteredAt = null,
        };
        await _outbox.UpsertAsync([requeued], cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _deadLetters);
        _ = Enqueue(requeued, wait: false);
        return true;
    }

    public async Task<bool> DiscardAsync(string operationId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(operationId);
        if (await _outbox.GetAsync(operationId, cancellationToken).ConfigureAwait(false) is not { State: OutboxEntryState.DeadLettered })
        {
            return false;
        }

        await _outbox.RemoveAsync([operationId], cancellationToken).ConfigureAwait(false);
        Interlocked.Decrement(ref _deadLetters);
        return true;
    }

    /// <summary>Delivers what it can within the bound, then stops; the rest stays in the outbox for the next start.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started) == 0 || _stop.IsCancellationRequested)
        {
            return;
        }

        using (var bound = new CancellationTokenSource(_options.ShutdownTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken))
        {
            try
            {
                await FlushAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Out of time: what is left stays in the outbox.
            }
        }

        // Sends already on the wire finish (bounded by the host's deadline and ShutdownTimeout) before they are cancelled:
        // a send cancelled half-way leaves a report the server may have charged, to be replayed by the next process.
        _legacyReady.Writer.TryComplete();
        _eventReady.Writer.TryComplete();
        using (var bound = new CancellationTokenSource(_options.ShutdownTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(bound.Token, cancellationToken))
        {
            await WaitForSendsAsync(linked.Token).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _wake.Writer.TryComplete();
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (!_pending.IsEmpty)
        {
            MeteringLog.LeftPending(_logger, _pending.Count);
        }
    }

    /// <summary>Takes every send slot, which the sends in flight give back as they end; false when the token fired first.</summary>
    private async Task WaitForSendsAsync(CancellationToken token)
    {
        var taken = new List<SemaphoreSlim>();
        try
        {
            foreach (var slots in (SemaphoreSlim[])[_legacySlots, _eventSlots])
            {
                for (var i = 0; i < _options.MaxConcurrentSends; i++)
                {
                    await slots.WaitAsync(token).ConfigureAwait(false);
                    taken.Add(slots);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Out of time: the sends still running are cancelled by the caller.
        }
        finally
        {
            foreach (var slots in taken)
            {
                slots.Release();
            }
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _lingerCut.Dispose();
        _legacySlots.Dispose();
        _eventSlots.Dispose();
    }

    /// <summary>Hands an idle report to its channel; returns false when the channel was full and turned it away.</summary>
    private bool TrySchedule(Item item)
    {
        if (TryOffer(item))
        {
            return true;
        }

        // Turned away: it waits in the overflow queue, which the scheduler drains when the sender frees room.
        Defer(item);
        return false;
    }

    /// <summary>
    /// Writes an idle report to its channel. When the channel is full it leaves the report idle and sets the overflow
    /// mark, so the sender's next read wakes the scheduler; returns false then. Does not queue the report anywhere.
    /// </summary>
    private bool TryOffer(Item item)
    {
        var channel = ChannelOf(item);
        while (Interlocked.CompareExchange(ref item.Status, Queued, Idle) == Idle)
        {
            if (channel.Writer.TryWrite(item))
            {
                return true;
            }

            // The channel is full (or closed): the scheduler offers it again when the sender frees room (or on its
            // next tick). The mark is set after the report is idle again, so the scheduler round it triggers finds it.
            Volatile.Write(ref item.Status, Idle);
            Interlocked.Exchange(ref _overflow, 1);
            if (_stop.IsCancellationRequested || channel.Reader.Count >= _options.QueueCapacity)
            {
                // Still full after the mark: the sender's next read (there is something to read) sees the mark.
                return false;
            }

            // Room was freed between the refusal and the mark, perhaps unseen by the sender: offer it again.
        }

        // Not idle: queued, in flight or settled by someone else, so there is nothing to hand over.
        return true;
    }

    /// <summary>Puts a report at the end of its overflow queue, unless it is there already.</summary>
    private void Defer(Item item)
    {
        if (Interlocked.Exchange(ref item.Deferred, 1) == 0)
        {
            (IsStandard(item) ? _eventOverflow : _legacyOverflow).Enqueue(item);
        }
    }

    /// <summary>
    /// Moves due reports from an overflow queue into its channel, oldest first, until the channel is full; returns
    /// whether it filled up. Only the scheduler loop calls this, so the head it peeks is the head it dequeues. A report
    /// no longer in <c>_pending</c> (replaced by a newer one for the same operation) is dropped, as the scan would.
    /// </summary>
    private bool DrainOverflow(ConcurrentQueue<Item> overflow, DateTimeOffset now)
    {
        while (overflow.TryPeek(out var item))
        {
            if (Volatile.Read(ref item.Status) == Idle && item.DueAt <= now && IsCurrent(item) && !TryOffer(item))
            {
                // Full: it stays at the head, and the room the sender frees next wakes this loop again.
                return true;
            }

            overflow.TryDequeue(out _);

            // The mark is cleared before the second look, so a report that went idle and was turned away meanwhile
            // is either seen idle here or queued again by its own TrySchedule: never left out of both.
            Interlocked.Exchange(ref item.Deferred, 0);
            if (Volatile.Read(ref item.Status) == Idle && item.DueAt <= now && IsCurrent(item) && !TrySchedule(item))
            {
                return true;
            }
        }

        return false;
    }

    private Channel<Item> ChannelOf(Item item) => IsStandard(item) ? _eventReady : _legacyReady;

    private static bool IsStandard(Item item) => item.Entry.Report!.Strategy == MeteringStrategy.Standard;

    private async Task SendLoopAsync(Channel<Item> channel, SemaphoreSlim slots, Func<List<Item>, Task> send)
    {
        var reader = channel.Reader;
        var token = _stop.Token;
        try
        {
            while (true)
            {
                await slots.WaitAsync(token).ConfigureAwait(false);
                var batch = new List<Item>();
                try
                {
                    if (!await reader.WaitToReadAsync(token).ConfigureAwait(false))
                    {
                        slots.Release();
                        return;
                    }

                    var max = channel == _eventReady ? 1 : _options.MaxBatchSize;
                    var waited = Collect(reader, batch, max);
                    if (_options.BatchInterval > TimeSpan.Zero && batch.Count > 0 && batch.Count < max && !waited)
                    {
                        await LingerAsync(reader, batch, max, token).ConfigureAwait(false);
                    }
                }
                catch
                {
                    slots.Release();
                    throw;
                }

                if (batch.Count == 0)
                {
                    slots.Release();
                    continue;
                }

                _ = RunSendAsync(send, batch, slots);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Moves queued reports into the batch; returns whether a caller waits for one of those it moved.</summary>
    private bool Collect(ChannelReader<Item> reader, List<Item> batch, int max)
    {
        var read = false;
        var waited = false;
        while (batch.Count < max && reader.TryRead(out var item))
        {
            read = true;
            if (Interlocked.CompareExchange(ref item.Status, InFlight, Queued) == Queued)
            {
                batch.Add(item);
                waited = waited || item.HasWaiters;
            }
        }

        // Room was freed in a channel that turned reports away: wake the scheduler to refill it now, not on its tick.
        if (read && Volatile.Read(ref _overflow) == 1 && Interlocked.Exchange(ref _overflow, 0) == 1)
        {
            _wake.Writer.TryWrite(true);
        }

        return waited;
    }

    /// <summary>
    /// Waits up to <see cref="MeteringOptions.BatchInterval"/> for more reports, unless the batch fills, a caller waits
    /// for one of them, or a flush asks for everything now.
    /// </summary>
    private async Task LingerAsync(ChannelReader<Item> reader, List<Item> batch, int max, CancellationToken token)
    {
        // Read before looking for waiters: a flush adds its waiters first, then cuts, so one of the two is seen.
        var cut = Volatile.Read(ref _lingerCut).Token;
        if (batch.Exists(i => i.HasWaiters))
        {
            return;
        }

        using var linger = new CancellationTokenSource(_options.BatchInterval, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(linger.Token, token, cut);
        try
        {
            while (batch.Count < max && await reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                if (Collect(reader, batch, max))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            // The interval is over, or a flush cut it short: send what was collected.
        }
    }

    private async Task RunSendAsync(Func<List<Item>, Task> send, List<Item> batch, SemaphoreSlim slots)
    {
        try
        {
            await send(batch).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug or a failing outbox: put the items back for a later round rather than lose them.
            MeteringLog.LoopFailed(_logger, e.GetType().Name);
            foreach (var item in batch)
            {
                item.DueAt = _time.GetUtcNow() + _options.RetryBaseDelay;
                Interlocked.CompareExchange(ref item.Status, Idle, InFlight);
                item.Signal(ReportState.Queued);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task SchedulerLoopAsync()
    {
        var token = _stop.Token;
        var interval = _options.RetryBaseDelay < TimeSpan.FromSeconds(1) ? _options.RetryBaseDelay : TimeSpan.FromSeconds(1);
        var nextScan = _time.GetUtcNow() + interval;
        var nextPurge = _time.GetUtcNow() + PurgeInterval;
        try
        {
            while (true)
            {
                var wait = nextScan - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    using var tick = new CancellationTokenSource(wait, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(tick.Token, token);
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

                // Only due reports: one in backoff waits for its time whatever woke the scheduler. The overflow queues
                // come first (oldest first); once a channel is full, the rest wait for the room the sender frees next.
                var now = _time.GetUtcNow();
                var legacyFull = DrainOverflow(_legacyOverflow, now);
                var eventsFull = DrainOverflow(_eventOverflow, now);
                if (now >= nextScan)
                {
                    // Reports whose backoff ended are in no queue: only this scan finds them. It runs once per interval
                    // whatever woke the loop (frequent refill wakes must not starve retries), not on every refill (a
                    // scan of a large backlog per refill cost more than the sends). A due report that finds its channel
                    // full joins the overflow queue, behind the reports already waiting there.
                    ScanForDue(now, legacyFull, eventsFull);
                    nextScan = now + interval;
                }

                if (now >= nextPurge)
                {
                    nextPurge = now + PurgeInterval;
                    await PurgeTombstonesAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private void ScanForDue(DateTimeOffset now, bool legacyFull, bool eventsFull)
    {
        // Enumerating the dictionary itself, not .Values: that would copy every pending report into a new array.
        foreach (var (_, item) in _pending)
        {
            if (Volatile.Read(ref item.Status) != Idle || item.DueAt > now || Volatile.Read(ref item.Deferred) == 1)
            {
                // Not idle, not due, or waiting in an overflow queue (which keeps its order).
                continue;
            }

            ScheduleOrDefer(item, ref legacyFull, ref eventsFull);
        }
    }

    /// <summary>
    /// Offers a report to its channel, or, once that channel turned one away in this round, queues it in the overflow
    /// straight away: every due report is then either in the channel or in the queue the next refill drains, and a
    /// full channel is not asked again for each of a large backlog.
    /// </summary>
    private void ScheduleOrDefer(Item item, ref bool legacyFull, ref bool eventsFull)
    {
        var standard = IsStandard(item);
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

    private async Task SendLegacyAsync(List<Item> batch)
    {
        using var activity = MeteringMetrics.Start(MeteringMetrics.DeliverActivity, ActivityKind.Producer);
        activity?.SetTag("paygentic.reports", batch.Count);
        var live = await DropExpiredAsync(batch).ConfigureAwait(false);
        if (live.Count == 0)
        {
            return;
        }

        if (live.Count == 1)
        {
            await SendSingleUsageAsync(live).ConfigureAwait(false);
            return;
        }

        UsageBatchResult result;
        try
        {
            // With the SDK's own client, the configured merchant is filled in here, so preparing the batch copies no report.
            var merchant = (_client.Usage as UsageClient)?.DefaultMerchantId;
            var reports = new UsageReport[live.Count];
            for (var i = 0; i < reports.Length; i++)
            {
                reports[i] = ToUsageReport(live[i].Entry, merchant);
            }

            result = _client.Usage is UsageClient usage
                ? await usage.CreateBatchAsync(reports, keepEvents: false, _stop.Token).ConfigureAwait(false)
                : await _client.Usage.CreateBatchAsync(reports, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var outcome = DeliveryClassifier.Classify(e);
            if (outcome is DeliveryOutcome.Rejected or DeliveryOutcome.Unpaid)
            {
                // One bad report must not dead-letter its neighbours: find it by sending each alone.
                await SendSingleUsageAsync(live).ConfigureAwait(false);
                return;
            }

            await SettleAsync(live.Select(i => (i, outcome, (string?)Describe(e))).ToList()).ConfigureAwait(false);
            return;
        }

        var failed = new Dictionary<int, UsageBatchFailure>();
        foreach (var failure in result.Failed)
        {
            failed.TryAdd(failure.Index, failure);
        }

        activity?.SetTag("paygentic.partial", result.IsPartial);
        var settled = new List<(Item, DeliveryOutcome, string?)>(live.Count);
        for (var i = 0; i < live.Count; i++)
        {
            settled.Add(failed.TryGetValue(i, out var f)
                ? (live[i], DeliveryClassifier.ClassifyItemError(f.Error), f.Error)
                : (live[i], DeliveryOutcome.Delivered, null));
        }

        await SettleAsync(settled).ConfigureAwait(false);
    }

    private async Task SendSingleUsageAsync(List<Item> items)
    {
        var settled = new List<(Item, DeliveryOutcome, string?)>(items.Count);
        foreach (var item in items)
        {
            try
            {
                var answer = await _client.Usage.CreateAsync(ToUsageReport(item.Entry), _stop.Token).ConfigureAwait(false);

                // The server answers a known key with the event it charged then: other quantities mean these were not billed.
                var duplicate = answer.Properties is { Count: > 0 } charged && !QuantityMaps.SameQuantities(item.Entry.Report!.Quantities, charged);
                settled.Add(duplicate
                    ? (item, DeliveryOutcome.Duplicate, "the idempotency key was charged before with other quantities")
                    : (item, DeliveryOutcome.Delivered, null));
            }
            catch (Exception e)
            {
                settled.Add((item, DeliveryClassifier.Classify(e), Describe(e)));
            }
        }

        await SettleAsync(settled).ConfigureAwait(false);
    }

    private async Task SendEventsAsync(List<Item> batch)
    {
        using var activity = MeteringMetrics.Start(MeteringMetrics.DeliverActivity, ActivityKind.Producer);
        var live = await DropExpiredAsync(batch).ConfigureAwait(false);
        var settled = new List<(Item, DeliveryOutcome, string?)>(live.Count);
        foreach (var item in live)
        {
            try
            {
                await _client.Events.IngestAsync(ToMeterEvent(item.Entry), _stop.Token).ConfigureAwait(false);
                settled.Add((item, DeliveryOutcome.Delivered, null));
            }
            catch (Exception e)
            {
                settled.Add((item, DeliveryClassifier.Classify(e), Describe(e)));
            }
        }

        await SettleAsync(settled).ConfigureAwait(false);
    }

    /// <summary>Dead-letters reports too old to replay safely; returns the others.</summary>
    private async Task<List<Item>> DropExpiredAsync(List<Item> batch)
    {
        var now = _time.GetUtcNow();
        var live = new List<Item>(batch.Count);
        List<(Item, DeliveryOutcome, string?)>? expired = null;
        foreach (var item in batch)
        {
            var since = item.Entry.RequeuedAt ?? item.Entry.CreatedAt;
            if (now - since > _options.MaxReplayAge)
            {
                (expired ??= []).Add((item, DeliveryOutcome.Rejected, $"not acknowledged within MaxReplayAge ({_options.MaxReplayAge}); replaying could charge twice"));
            }
            else
            {
                live.Add(item);
            }
        }

        if (expired is not null)
        {
            await SettleAsync(expired, DeadLetterReason.ReplayWindowExpired).ConfigureAwait(false);
        }

        return live;
    }

    private async Task SettleAsync(List<(Item Item, DeliveryOutcome Outcome, string? Error)> results, DeadLetterReason? forcedReason = null)
    {
        var now = _time.GetUtcNow();

        // One pass sorts the outcomes (a batch is up to a thousand results).
        var delivered = new List<(Item Item, ReportState State)>(results.Count);
        var tombstones = new List<OutboxEntry>(results.Count);
        List<(Item Item, DeliveryOutcome Outcome, string? Error)>? retry = null;
        List<(Item Item, DeliveryOutcome Outcome, string? Error)>? dead = null;
        foreach (var result in results)
        {
            switch (result.Outcome)
            {
                case DeliveryOutcome.Delivered or DeliveryOutcome.Duplicate:
                    var state = result.Outcome == DeliveryOutcome.Duplicate ? ReportState.Duplicate : ReportState.Delivered;
                    delivered.Add((result.Item, state));
                    if (IsCurrent(result.Item))
                    {
                        tombstones.Add(EarlierOperations.Tombstone(result.Item.Entry, state, now));
                    }

                    break;
                case DeliveryOutcome.Transient:
                    (retry ??= []).Add(result);
                    break;
                case DeliveryOutcome.Rejected or DeliveryOutcome.Unpaid:
                    (dead ??= []).Add(result);
                    break;
            }
        }

        if (delivered.Count > 0)
        {
            // Only now may the reports leave the pending state; a crash before this line replays them with the same keys.
            // Each leaves a tombstone, so its operation id cannot run (and be charged) again within the retention.
            await _outbox.UpsertAsync(tombstones, CancellationToken.None).ConfigureAwait(false);
            foreach (var (item, state) in delivered)
            {
                _pending.TryRemove(new KeyValuePair<string, Item>(item.Entry.OperationId, item));
                Volatile.Write(ref item.Status, Done);
                item.Signal(state, final: true);
                if (state == ReportState.Duplicate)
                {
                    MeteringLog.DuplicateReport(_logger, item.Entry.OperationId, item.Entry.Report!.IdempotencyKey);
                }
            }

            _metrics.Reported.Add(delivered.Count);
        }

        if (retry is not null)
        {
            var updated = new List<OutboxEntry>(retry.Count);
            foreach (var (item, _, error) in retry)
            {
                var attempts = item.Entry.Attempts + 1;
                item.Entry = item.Entry with { Attempts = attempts, LastError = error };
                var delay = Backoff(item.Entry.OperationId, attempts);
                item.DueAt = now + delay;
                if (IsCurrent(item))
                {
                    updated.Add(item.Entry);
                }

                MeteringLog.DeliveryFailed(_logger, item.Entry.OperationId, error ?? "unknown", attempts, (long)delay.TotalMilliseconds);
            }

            _metrics.DeliveryFailures.Add(retry.Count);
            await TryUpsertAsync(updated).ConfigureAwait(false);
            foreach (var (item, _, _) in retry)
            {
                Volatile.Write(ref item.Status, Idle);
                item.Signal(ReportState.Queued);
            }
        }

        if (dead is not null)
        {
            var letters = new List<(Item Item, OutboxEntry Entry)>(dead.Count);
            foreach (var (item, outcome, error) in dead)
            {
                var reason = forcedReason ?? (outcome == DeliveryOutcome.Unpaid ? DeadLetterReason.Unpaid : DeadLetterReason.Rejected);
                var letter = item.Entry with
                {
                    State = OutboxEntryState.DeadLettered,
                    Attempts = item.Entry.Attempts + (forcedReason is null ? 1 : 0),
                    LastError = error,
                    DeadLetterReason = reason,
                    DeadLetteredAt = now,
                };
                letters.Add((item, letter));
            }

            await _outbox.UpsertAsync(letters.Where(l => IsCurrent(l.Item)).Select(l => l.Entry).ToList(), CancellationToken.None).ConfigureAwait(false);
            foreach (var (item, letter) in letters)
            {
                _pending.TryRemove(new KeyValuePair<string, Item>(letter.OperationId, item));
                Volatile.Write(ref item.Status, Done);
                Interlocked.Increment(ref _deadLetters);
                _metrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("reason", letter.DeadLetterReason.ToString()));
                MeteringLog.DeadLettered(_logger, letter.OperationId, letter.CustomerIdOrEmpty(), letter.DeadLetterReason!.Value, letter.LastError ?? "unknown");
                item.Signal(ReportState.DeadLettered, final: true);
                try
                {
                    DeadLettered?.Invoke(this, new DeadLetterEventArgs(letter));
                }
#pragma warning disable CA1031 // a subscriber's failure must not stop delivery of other reports
                catch (Exception e)
#pragma warning restore CA1031
                {
                    MeteringLog.LoopFailed(_logger, "DeadLettered handler threw " + e.GetType().Name);
                }
            }
        }
    }

    /// <summary>Removes tombstones older than the retention; a failure is logged and tried again on the next round.</summary>
    private async Task PurgeTombstonesAsync()
    {
        try
        {
            var retention = _options.TombstoneRetention ?? _options.MaxReplayAge;
            await _outbox.RemoveWrittenBeforeAsync(OutboxEntryState.Delivered, _time.GetUtcNow() - retention, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // an expired tombstone left in place costs space, never a charge
        catch (Exception e)
#pragma warning restore CA1031
        {
            MeteringLog.OutboxWriteFailed(_logger, "(tombstones)", e.GetType().Name);
        }
    }

    private bool IsCurrent(Item item) => _pending.TryGetValue(item.Entry.OperationId, out var current) && ReferenceEquals(current, item);

    private async Task TryUpsertAsync(List<OutboxEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            await _outbox.UpsertAsync(entries, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // attempt counts are diagnostics: failing to store them must not stop delivery
        catch (Exception e)
#pragma warning restore CA1031
        {
            MeteringLog.OutboxWriteFailed(_logger, entries[0].OperationId, e.GetType().Name);
        }
    }

    private TimeSpan Backoff(string operationId, int attempts)
    {
        var exponent = Math.Min(attempts - 1, 20);
        var delay = _options.RetryBaseDelay * Math.Pow(2, exponent);
        if (delay > _options.RetryMaxDelay)
        {
            delay = _options.RetryMaxDelay;
        }

        // Deterministic jitter (0–20 %) spreads retries of many reports without a random source.
        var jitter = (uint)HashCode.Combine(operationId, attempts) % 200 / 1000.0;
        return delay + (delay * jitter);
    }

    private double OldestPendingAgeSeconds()
    {
        var now = _time.GetUtcNow();
        var oldest = now;
        foreach (var (_, item) in _pending)
        {
            if (item.Entry.CreatedAt < oldest)
            {
                oldest = item.Entry.CreatedAt;
            }
        }

        return (now - oldest).TotalSeconds;
    }

    private static string Describe(Exception e) => e switch
    {
        PaygenticApiException api => $"{(int)api.StatusCode} {api.Code ?? api.ErrorType}: {api.ApiMessage}".Trim(),
        _ => e.GetType().Name,
    };

    internal static UsageReport ToUsageReport(OutboxEntry entry, string? defaultMerchant = null)
    {
        var report = entry.Report!;
        return new UsageReport
        {
            CustomerId = report.CustomerId,
            MerchantId = string.IsNullOrWhiteSpace(report.MerchantId) ? defaultMerchant : report.MerchantId,
            IdempotencyKey = report.IdempotencyKey,
            Timestamp = report.Timestamp,
            Properties = ToProperties(report.Quantities),
            EntitlementId = report.EntitlementId,
            Metadata = report.Metadata,
        };
    }

    /// <summary>
    /// The quantities as properties in ordinal key order (a stable body, whatever the dictionary's order). Most reports
    /// carry one metric; a LINQ OrderBy per report was a visible share of the reporter's CPU, so sort only when needed.
    /// </summary>
    private static UsageProperty[] ToProperties(IReadOnlyDictionary<string, long> quantities)
    {
        var properties = new UsageProperty[quantities.Count];
        var i = 0;
        foreach (var (key, value) in quantities)
        {
            properties[i++] = new UsageProperty { BillableMetricId = key, Quantity = value };
        }

        if (properties.Length > 1)
        {
            Array.Sort(properties, static (a, b) => string.CompareOrdinal(a.BillableMetricId, b.BillableMetricId));
        }

        return properties;
    }

    internal static MeterEvent ToMeterEvent(OutboxEntry entry)
    {
        var report = entry.Report!;
        var data = new JsonObject { ["operationId"] = entry.OperationId };
        foreach (var (key, value) in report.Quantities.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            data[key] = value;
        }

        if (report.Metadata is { Count: > 0 } metadata)
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                meta[key] = value;
            }

            data["metadata"] = meta;
        }

        return new MeterEvent
        {
            Type = report.EventType!,
            Source = report.EventSource ?? MeteringOptions.DefaultEventSource,
            Subject = report.CustomerId,
            Data = data,
            Namespace = report.MerchantId,
            Timestamp = report.Timestamp,
            IdempotencyKey = report.IdempotencyKey,
        };
    }

    /// <summary>A pending report and who waits for its outcome.</summary>
    /// <remarks>Locks itself: it is private to the reporter, and a lock object of its own per report cost an allocation each.</remarks>
    private sealed class Item(OutboxEntry entry)
    {
        private List<TaskCompletionSource<ReportState>>? _waiters;
        private ReportState? _final;

        public int Status;

        // 1 while the report is in an overflow queue (see Defer and DrainOverflow).
        public int Deferred;

        public OutboxEntry Entry { get; set; } = entry;

        public DateTimeOffset DueAt { get; set; }

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
    }
}

internal static class OutboxEntryExtensions
{
    public static string CustomerIdOrEmpty(this OutboxEntry entry) => entry.Report?.CustomerId ?? entry.Ticket.CustomerId;
}
