using System.Diagnostics;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// Legacy usage: a batch goes to <c>/v0/usage/batch</c> and is settled item by item (a 207 answer names the failures); a
/// lone report, or every report of a batch refused as a whole, goes to <c>/v0/usage</c> on its own, so one bad report
/// does not dead-letter its neighbours.
/// </summary>
internal sealed class UsageDelivery(IReportTransport transport, ReportSettler settler, Func<CancellationToken> stopping)
{
    public async Task SendAsync(List<ReportItem> batch)
    {
        using var activity = MeteringMetrics.Start(MeteringMetrics.DeliverActivity, ActivityKind.Producer);
        activity?.SetTag("paygentic.reports", batch.Count);
        var live = await settler.DropExpiredAsync(batch).ConfigureAwait(false);
        if (live.Count == 0)
        {
            return;
        }

        if (live.Count == 1)
        {
            await SendEachAsync(live).ConfigureAwait(false);
            return;
        }

        UsageBatchResult result;
        try
        {
            result = await transport.SendUsageBatchAsync(live, stopping()).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var outcome = DeliveryClassifier.Classify(e);
            if (outcome is DeliveryOutcome.Rejected or DeliveryOutcome.Unpaid)
            {
                await SendEachAsync(live).ConfigureAwait(false);
                return;
            }

            await settler.SettleAsync(live.Select(i => (i, outcome, (string?)ReportMapping.Describe(e))).ToList()).ConfigureAwait(false);
            return;
        }

        var failed = new Dictionary<int, UsageBatchFailure>();
        foreach (var failure in result.Failed)
        {
            failed.TryAdd(failure.Index, failure);
        }

        activity?.SetTag("paygentic.partial", result.IsPartial);
        var settled = new List<(ReportItem, DeliveryOutcome, string?)>(live.Count);
        for (var i = 0; i < live.Count; i++)
        {
            settled.Add(failed.TryGetValue(i, out var f)
                ? (live[i], DeliveryClassifier.ClassifyItemError(f.Error), f.Error)
                : (live[i], DeliveryOutcome.Delivered, null));
        }

        await settler.SettleAsync(settled).ConfigureAwait(false);
    }

    private async Task SendEachAsync(List<ReportItem> items)
    {
        var settled = new List<(ReportItem, DeliveryOutcome, string?)>(items.Count);
        foreach (var item in items)
        {
            try
            {
                var answer = await transport.SendUsageAsync(ReportMapping.ToUsageReport(item.Entry), stopping()).ConfigureAwait(false);

                // The server answers a known key with the event it charged then: other quantities mean these were not billed.
                var duplicate = answer.Properties is { Count: > 0 } charged && !QuantityMaps.SameQuantities(item.Entry.Report!.Quantities, charged);
                settled.Add(duplicate
                    ? (item, DeliveryOutcome.Duplicate, "the idempotency key was charged before with other quantities")
                    : (item, DeliveryOutcome.Delivered, null));
            }
            catch (Exception e)
            {
                settled.Add((item, DeliveryClassifier.Classify(e), ReportMapping.Describe(e)));
            }
        }

        await settler.SettleAsync(settled).ConfigureAwait(false);
    }
}
