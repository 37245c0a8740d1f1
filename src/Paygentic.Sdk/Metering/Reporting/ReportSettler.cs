using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// Records what a delivery attempt amounted to, outbox first: delivered (or duplicate) reports become tombstones,
/// transient failures go back into backoff with their attempt counted, permanent refusals and reports too old to replay
/// become dead letters. Only after the outbox write are the waiters told and the report forgotten in memory.
/// </summary>
internal sealed class ReportSettler(
    IUsageOutbox outbox,
    ConcurrentDictionary<string, ReportItem> pending,
    ReportScheduler scheduler,
    DeadLetterList deadLetters,
    MeteringOptions options,
    TimeProvider time,
    MeteringMetrics metrics,
    ILogger logger)
{
    /// <summary>
    /// Test seam (null in production): raised after each settled batch (outbox written, waiters told), so a test awaits
    /// the outcome it causes instead of polling for it.
    /// </summary>
    internal Action? Settled { get; set; }

    /// <summary>Dead-letters reports too old to replay safely; returns the others.</summary>
    public async Task<List<ReportItem>> DropExpiredAsync(List<ReportItem> batch)
    {
        var now = time.GetUtcNow();
        var live = new List<ReportItem>(batch.Count);
        List<(ReportItem, DeliveryOutcome, string?)>? expired = null;
        foreach (var item in batch)
        {
            var since = item.Entry.RequeuedAt ?? item.Entry.CreatedAt;
            if (now - since > options.MaxReplayAge)
            {
                (expired ??= []).Add((item, DeliveryOutcome.Rejected, $"not acknowledged within MaxReplayAge ({options.MaxReplayAge}); replaying could charge twice"));
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

    public async Task SettleAsync(List<(ReportItem Item, DeliveryOutcome Outcome, string? Error)> results, DeadLetterReason? forcedReason = null)
    {
        var now = time.GetUtcNow();
        var delivered = new List<(ReportItem Item, ReportState State)>(results.Count);
        var reports = new List<OutboxEntry>(results.Count);
        List<OutboxEntry>? duplicates = null;
        List<(ReportItem Item, DeliveryOutcome Outcome, string? Error)>? retry = null;
        List<(ReportItem Item, DeliveryOutcome Outcome, string? Error)>? dead = null;
        foreach (var result in results)
        {
            switch (result.Outcome)
            {
                case DeliveryOutcome.Delivered or DeliveryOutcome.Duplicate:
                    var state = result.Outcome == DeliveryOutcome.Duplicate ? ReportState.Duplicate : ReportState.Delivered;
                    delivered.Add((result.Item, state));
                    if (scheduler.IsCurrent(result.Item))
                    {
                        // A duplicate's tombstone records its outcome in full; a delivered report's row changes state in place.
                        if (state == ReportState.Duplicate)
                        {
                            (duplicates ??= []).Add(EarlierOperations.Tombstone(result.Item.Entry, state, now));
                        }
                        else
                        {
                            reports.Add(result.Item.Entry);
                        }
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
            await SettleDeliveredAsync(delivered, reports, duplicates, now).ConfigureAwait(false);
        }

        if (retry is not null)
        {
            await SettleRetriesAsync(retry, now).ConfigureAwait(false);
        }

        if (dead is not null)
        {
            await SettleDeadAsync(dead, forcedReason, now).ConfigureAwait(false);
        }
        Settled?.Invoke();
    }

    /// <summary>Removes tombstones older than the retention; a failure is logged and tried again on the next round.</summary>
    public async Task PurgeTombstonesAsync()
    {
        try
        {
            var retention = options.TombstoneRetention ?? options.MaxReplayAge;
            await outbox.RemoveWrittenBeforeAsync(OutboxEntryState.Delivered, time.GetUtcNow() - retention, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // an expired tombstone left in place costs space, never a charge
        catch (Exception e)
#pragma warning restore CA1031
        {
            MeteringLog.OutboxWriteFailed(logger, "(tombstones)", e.GetType().Name);
        }
    }

    private async Task SettleDeliveredAsync(List<(ReportItem Item, ReportState State)> delivered, List<OutboxEntry> reports, List<OutboxEntry>? duplicates, DateTimeOffset now)
    {
        // Only now may the reports leave the pending state; a crash before this line replays them with the same keys.
        // Each leaves a tombstone, so its operation id cannot run (and be charged) again within the retention.
        if (reports.Count > 0)
        {
            await outbox.MarkDeliveredAsync(reports, now, CancellationToken.None).ConfigureAwait(false);
        }

        if (duplicates is not null)
        {
            await outbox.UpsertAsync(duplicates, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var (item, state) in delivered)
        {
            pending.TryRemove(new KeyValuePair<string, ReportItem>(item.Entry.OperationId, item));
            item.Finish();
            item.Signal(state, final: true);
            if (state == ReportState.Duplicate)
            {
                MeteringLog.DuplicateReport(logger, item.Entry.OperationId, item.Entry.Report!.IdempotencyKey);
            }
        }

        metrics.Reported.Add(delivered.Count);
    }

    private async Task SettleRetriesAsync(List<(ReportItem Item, DeliveryOutcome Outcome, string? Error)> retry, DateTimeOffset now)
    {
        var updated = new List<OutboxEntry>(retry.Count);
        foreach (var (item, _, error) in retry)
        {
            var attempts = item.Entry.Attempts + 1;
            item.Entry = item.Entry with { Attempts = attempts, LastError = error };
            var delay = scheduler.Backoff(item.Entry.OperationId, attempts);
            item.DueAt = now + delay;
            if (scheduler.IsCurrent(item))
            {
                updated.Add(item.Entry);
            }

            MeteringLog.DeliveryFailed(logger, item.Entry.OperationId, error ?? "unknown", attempts, (long)delay.TotalMilliseconds);
        }

        metrics.DeliveryFailures.Add(retry.Count);
        if (updated.Count > 0)
        {
            try
            {
                await outbox.UpsertAsync(updated, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // attempt counts are diagnostics: failing to store them must not stop delivery
            catch (Exception e)
#pragma warning restore CA1031
            {
                MeteringLog.OutboxWriteFailed(logger, updated[0].OperationId, e.GetType().Name);
            }
        }

        foreach (var (item, _, _) in retry)
        {
            item.Retry();
            item.Signal(ReportState.Queued);
        }
    }

    private async Task SettleDeadAsync(List<(ReportItem Item, DeliveryOutcome Outcome, string? Error)> dead, DeadLetterReason? forcedReason, DateTimeOffset now)
    {
        var letters = new List<(ReportItem Item, OutboxEntry Entry)>(dead.Count);
        foreach (var (item, outcome, error) in dead)
        {
            var reason = forcedReason ?? (outcome == DeliveryOutcome.Unpaid ? DeadLetterReason.Unpaid : DeadLetterReason.Rejected);
            letters.Add((item, item.Entry with
            {
                State = OutboxEntryState.DeadLettered,
                Attempts = item.Entry.Attempts + (forcedReason is null ? 1 : 0),
                LastError = error,
                DeadLetterReason = reason,
                DeadLetteredAt = now,
            }));
        }

        await outbox.UpsertAsync(letters.Where(l => scheduler.IsCurrent(l.Item)).Select(l => l.Entry).ToList(), CancellationToken.None).ConfigureAwait(false);
        foreach (var (item, letter) in letters)
        {
            pending.TryRemove(new KeyValuePair<string, ReportItem>(letter.OperationId, item));
            item.Finish();
            metrics.DeadLettered.Add(1, new KeyValuePair<string, object?>("reason", letter.DeadLetterReason.ToString()));
            MeteringLog.DeadLettered(logger, letter.OperationId, letter.Report?.CustomerId ?? letter.Ticket.CustomerId, letter.DeadLetterReason!.Value, letter.LastError ?? "unknown");
            item.Signal(ReportState.DeadLettered, final: true);
            deadLetters.Added(letter);
        }
    }
}
