using Paygentic.Sdk.Events;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// The reporter's calls over an <see cref="IPaygenticClient"/>. With the SDK's own usage client a batch is written
/// straight from the stored reports (<see cref="StoredReportBatch"/>) and the answer's successful events are skipped
/// instead of parsed (a third of the reporter's CPU); any other <see cref="IUsageClient"/> gets the public calls, with
/// the reports mapped to <see cref="UsageReport"/>s.
/// </summary>
internal sealed class ClientReportTransport(IPaygenticClient client) : IReportTransport
{
    private readonly UsageClient? _sdkUsage = client.Usage as UsageClient;

    public Task<UsageEvent> SendUsageAsync(UsageReport report, CancellationToken cancellationToken) =>
        client.Usage.CreateAsync(report, cancellationToken);

    public async Task<UsageBatchResult> SendUsageBatchAsync(IReadOnlyList<ReportItem> batch, CancellationToken cancellationToken)
    {
        if (_sdkUsage is null)
        {
            var reports = new UsageReport[batch.Count];
            for (var i = 0; i < reports.Length; i++)
            {
                reports[i] = ReportMapping.ToUsageReport(batch[i].Entry);
            }

            return await client.Usage.CreateBatchAsync(reports, cancellationToken).ConfigureAwait(false);
        }

        // Written straight from the stored reports into the body every attempt sends; given back when the call ends.
        using var body = StoredReportBatch.Write(batch, _sdkUsage.DefaultMerchantId);
        return await _sdkUsage.SendWrittenBatchAsync(body, batch.Count, cancellationToken).ConfigureAwait(false);
    }

    public Task<EventReceipt> SendEventAsync(MeterEvent meterEvent, CancellationToken cancellationToken) =>
        client.Events.IngestAsync(meterEvent, cancellationToken);
}
