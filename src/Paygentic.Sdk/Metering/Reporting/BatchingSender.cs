using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// Reads one channel and sends what it collects: up to <c>maxBatch</c> reports, lingering up to
/// <see cref="MeteringOptions.BatchInterval"/> for more unless a caller waits for one of them, with at most
/// <see cref="MeteringOptions.MaxConcurrentSends"/> sends in flight (each holds a slot until it has settled).
/// </summary>
/// <remarks>
/// While it lingers the sender does not wake for each report: reports wait in the channel, and the writer calls
/// <see cref="Offered"/>, which ends the linger only when the batch would be full or a caller waits. A wake per report
/// cost a thread-pool hand-off per guarded operation. Invariant: <c>_early</c> is published before the sender empties
/// the channel into its batch once more, so a report offered meanwhile — one a caller waits for included — is either
/// moved in then or ends the linger through <see cref="Offered"/>.
/// </remarks>
internal sealed class BatchingSender(
    Channel<ReportItem> channel,
    int maxBatch,
    Func<List<ReportItem>, Task> send,
    ReportScheduler scheduler,
    Func<CancellationToken> lingerCut,
    MeteringOptions options,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentSends, options.MaxConcurrentSends);

    // Set while the sender lingers: completing it ends the linger. _held is the lingering batch's size then.
    private TaskCompletionSource? _early;
    private int _held;
    private readonly Lock _seamGate = new();

    /// <summary>
    /// Test seam (null in production): raised with the batch's size each time the sender, its linger timer armed, waits
    /// for more reports — so a fake-clock test knows what a lingering batch holds before it moves the clock.
    /// </summary>
    internal Action<int>? Lingering { get; set; }

    public async Task RunAsync(CancellationToken token)
    {
        var reader = channel.Reader;
        try
        {
            while (true)
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
                var batch = new List<ReportItem>();
                try
                {
                    if (!await reader.WaitToReadAsync(token).ConfigureAwait(false))
                    {
                        _slots.Release();
                        return;
                    }

                    var waited = Collect(reader, batch);
                    if (options.BatchInterval > TimeSpan.Zero && batch.Count > 0 && batch.Count < maxBatch && !waited)
                    {
                        await LingerAsync(reader, batch, token).ConfigureAwait(false);
                    }
                }
                catch
                {
                    _slots.Release();
                    throw;
                }

                if (batch.Count == 0)
                {
                    _slots.Release();
                    continue;
                }

                _ = SendAsync(batch);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits until every send in flight has ended (each gives its slot back), or the token fires.</summary>
    public async Task WaitForSendsAsync(CancellationToken token)
    {
        var taken = 0;
        try
        {
            for (; taken < options.MaxConcurrentSends; taken++)
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Out of time: the sends still running are cancelled by the caller.
        }
        finally
        {
            if (taken > 0)
            {
                _slots.Release(taken);
            }
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>
    /// Called by the writer after it put a report in the channel: ends a linger when the batch would now be full or a
    /// caller waits for this report. Costs one volatile read when the sender is not lingering.
    /// </summary>
    public void Offered(ReportItem item)
    {
        if (Volatile.Read(ref _early) is not { } early)
        {
            return;
        }

        var held = Volatile.Read(ref _held) + channel.Reader.Count;
        ReportLingering();
        if (held >= maxBatch || item.HasWaiters)
        {
            early.TrySetResult();
        }
    }

    /// <summary>
    /// Tells the test seam how many reports the lingering batch holds, counted at the moment of telling and one teller at
    /// a time: the sender and the writers both tell, and a count taken earlier must not arrive last.
    /// </summary>
    private void ReportLingering()
    {
        if (Lingering is { } lingering)
        {
            lock (_seamGate)
            {
                lingering(Volatile.Read(ref _held) + channel.Reader.Count);
            }
        }
    }

    /// <summary>Moves queued reports into the batch; returns whether a caller waits for one of those it moved.</summary>
    private bool Collect(ChannelReader<ReportItem> reader, List<ReportItem> batch)
    {
        var read = false;
        var waited = false;
        while (batch.Count < maxBatch && reader.TryRead(out var item))
        {
            read = true;
            if (item.TryTake())
            {
                batch.Add(item);
                waited = waited || item.HasWaiters;
            }
        }

        if (read)
        {
            scheduler.RoomFreed();
        }

        return waited;
    }

    /// <summary>Waits up to the batch interval for more reports, unless the batch fills, a caller waits, or a flush cuts it.</summary>
    private async Task LingerAsync(ChannelReader<ReportItem> reader, List<ReportItem> batch, CancellationToken token)
    {
        // Read before looking for waiters: a flush adds its waiters first, then cuts, so one of the two is seen.
        var cut = lingerCut();
        if (batch.Exists(i => i.HasWaiters))
        {
            return;
        }

        var early = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _held, batch.Count);
        Volatile.Write(ref _early, early);
        try
        {
            // Reports offered before _early was published are moved in now: one a caller waits for ends the linger here,
            // one offered from now on ends it through Offered.
            if (Collect(reader, batch) || batch.Count >= maxBatch)
            {
                return;
            }

            Volatile.Write(ref _held, batch.Count);
            using var linger = new CancellationTokenSource(options.BatchInterval, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(linger.Token, token, cut);
            ReportLingering();
            await early.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            // The interval is over, or a flush cut it short: send what was collected.
        }
        finally
        {
            Volatile.Write(ref _early, null);
        }

        Collect(reader, batch);
    }

    private async Task SendAsync(List<ReportItem> batch)
    {
        try
        {
            await send(batch).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug or a failing outbox: put the items back for a later round rather than lose them.
            MeteringLog.LoopFailed(logger, e.GetType().Name);
            foreach (var item in batch)
            {
                item.DueAt = time.GetUtcNow() + options.RetryBaseDelay;
                item.Retry();
                item.Signal(ReportState.Queued);
            }
        }
        finally
        {
            _slots.Release();
        }
    }
}
