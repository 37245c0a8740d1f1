using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// Delivers reports from the outbox. A completed report is written to the outbox first, then handed to the
/// <see cref="ReportScheduler"/>, which puts it in its bounded channel (or an ordered overflow queue); a
/// <see cref="BatchingSender"/> per channel collects and sends — legacy usage in batches (<see cref="UsageDelivery"/>),
/// meter events one by one (<see cref="EventDelivery"/>) — and the <see cref="ReportSettler"/> records each outcome.
/// A report leaves the pending state only once accepted; every send of it carries the same idempotency key.
/// </summary>
internal sealed class UsageReporter : IUsageReporter, IDisposable
{
    // How often expired tombstones are removed.
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(10);

    private readonly IUsageOutbox _outbox;
    private readonly MeteringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ReportItem> _pending = new(StringComparer.Ordinal);
    private readonly ReportScheduler _scheduler;
    private readonly ReportSettler _settler;
    private readonly DeadLetterList _deadLetters;
    private readonly BatchingSender _legacySender;
    private readonly BatchingSender _eventSender;
    private readonly CancellationTokenSource _stop = new();

    // Cancelled (and replaced) by each flush, so a batch lingering for more reports is sent at once.
    private CancellationTokenSource _lingerCut = new();
    private Task _loops = Task.CompletedTask;
    private int _started;

    public UsageReporter(IReportTransport transport, IUsageOutbox outbox, MeteringOptions options, TimeProvider time, MeteringMetrics metrics, ILogger logger)
    {
        _outbox = outbox;
        _options = options;
        _time = time;
        _logger = logger;
        _scheduler = new ReportScheduler(_pending, options, time);
        _deadLetters = new DeadLetterList(outbox, time, logger, entry => Enqueue(entry, wait: false));
        _settler = new ReportSettler(outbox, _pending, _scheduler, _deadLetters, options, time, metrics, logger);
        var stopping = () => _stop.Token;
        var lingerCut = () => Volatile.Read(ref _lingerCut).Token;
        _legacySender = new BatchingSender(_scheduler.LegacyReady, options.MaxBatchSize, new UsageDelivery(transport, _settler, stopping).SendAsync, _scheduler, lingerCut, options, time, logger);
        _eventSender = new BatchingSender(_scheduler.EventReady, 1, new EventDelivery(transport, _settler, stopping).SendAsync, _scheduler, lingerCut, options, time, logger);
        _scheduler.Offered = item => (item.IsStandard ? _eventSender : _legacySender).Offered(item);
        metrics.ObserveReporter(() => _pending.Count, OldestPendingAgeSeconds, () => _deadLetters.Count);
    }

    public int PendingCount => _pending.Count;

    // The parts fake-clock tests hook into (see their test seams); internal, for tests only.
    internal ReportScheduler Scheduler => _scheduler;

    internal ReportSettler Settler => _settler;

    internal BatchingSender LegacySender => _legacySender;

    internal ICollection<ReportItem> PendingItems => _pending.Values;

    /// <summary>How many dead letters there are (for the start-up log line and the gauge).</summary>
    public int DeadLetterCount => _deadLetters.Count;

    public event EventHandler<DeadLetterEventArgs>? DeadLettered
    {
        add => _deadLetters.DeadLettered += value;
        remove => _deadLetters.DeadLettered -= value;
    }

    /// <summary>Loads pending reports and the dead-letter count from the outbox and starts the loops.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        await _settler.PurgeTombstonesAsync().ConfigureAwait(false);
        var pending = await _outbox.LoadAsync(OutboxEntryState.Pending, cancellationToken).ConfigureAwait(false);
        await _deadLetters.LoadCountAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        foreach (var entry in pending)
        {
            // Into the overflow queues, in outbox order: the scheduler fills the channels from there as they free room,
            // rather than every one of a large backlog being offered to a full channel here.
            var item = new ReportItem(entry) { DueAt = now };
            if (entry.Report is not null && _pending.TryAdd(entry.OperationId, item))
            {
                _scheduler.Defer(item);
            }
        }

        var token = _stop.Token;
        _loops = Task.WhenAll(
            Task.Run(() => _legacySender.RunAsync(token), CancellationToken.None),
            Task.Run(() => _eventSender.RunAsync(token), CancellationToken.None),
            Task.Run(() => _scheduler.RunAsync(_settler.PurgeTombstonesAsync, PurgeInterval, token), CancellationToken.None));
        _scheduler.Wake();
    }

    /// <summary>Hands a report (already in the outbox) to the sender; returns a task for its first outcome when asked.</summary>
    public Task<ReportState>? Enqueue(OutboxEntry entry, bool wait)
    {
        var item = new ReportItem(entry) { DueAt = _time.GetUtcNow() };
        var waiter = wait ? item.AddWaiter() : null;
        _pending[entry.OperationId] = item;
        _scheduler.TrySchedule(item);
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
            if (item.IsIdle)
            {
                _scheduler.ScheduleOrDefer(item, ref legacyFull, ref eventsFull);
            }
        }

        // Also what was deferred above: the scheduler moves it into the channels as they free room. A batch lingering
        // for more reports goes now (its reports have waiters already, added above).
        _scheduler.Wake();
        await Interlocked.Exchange(ref _lingerCut, new CancellationTokenSource()).CancelAsync().ConfigureAwait(false);
        var states = await Task.WhenAll(waits).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new FlushResult(
            states.Count(s => s is ReportState.Delivered or ReportState.Duplicate),
            states.Count(s => s == ReportState.DeadLettered),
            _pending.Count);
    }

    public Task<IReadOnlyList<OutboxEntry>> GetDeadLettersAsync(CancellationToken cancellationToken = default) => _deadLetters.GetAsync(cancellationToken);

    public Task<bool> RequeueAsync(string operationId, CancellationToken cancellationToken = default) => _deadLetters.RequeueAsync(operationId, cancellationToken);

    public Task<bool> DiscardAsync(string operationId, CancellationToken cancellationToken = default) => _deadLetters.DiscardAsync(operationId, cancellationToken);

    /// <summary>
    /// Delivers what it can within <see cref="MeteringOptions.ShutdownTimeout"/>, waits for the sends in flight (bounded
    /// by the same time and the caller's token), then stops; the rest stays in the outbox for the next start.
    /// </summary>
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

            // A send cancelled half-way leaves a report the server may have charged, to be replayed by the next process:
            // let the sends on the wire finish first.
            _scheduler.CloseChannels();
            await _legacySender.WaitForSendsAsync(linked.Token).ConfigureAwait(false);
            await _eventSender.WaitForSendsAsync(linked.Token).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _scheduler.Close();
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

    public void Dispose()
    {
        _stop.Dispose();
        _lingerCut.Dispose();
        _legacySender.Dispose();
        _eventSender.Dispose();
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
}
