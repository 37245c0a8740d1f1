using System.Diagnostics;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>Standard billing: each report is one meter event (<c>POST /v0/events</c>); events are sent concurrently, one per call.</summary>
internal sealed class EventDelivery(IReportTransport transport, ReportSettler settler, Func<CancellationToken> stopping)
{
    public async Task SendAsync(List<ReportItem> batch)
    {
        using var activity = MeteringMetrics.Start(MeteringMetrics.DeliverActivity, ActivityKind.Producer);
        var live = await settler.DropExpiredAsync(batch).ConfigureAwait(false);
        var settled = new List<(ReportItem, DeliveryOutcome, string?)>(live.Count);
        foreach (var item in live)
        {
            try
            {
                await transport.SendEventAsync(ReportMapping.ToMeterEvent(item.Entry), stopping()).ConfigureAwait(false);
                settled.Add((item, DeliveryOutcome.Delivered, null));
            }
            catch (Exception e)
            {
                settled.Add((item, DeliveryClassifier.Classify(e), ReportMapping.Describe(e)));
            }
        }

        await settler.SettleAsync(settled).ConfigureAwait(false);
    }
}
