using Paygentic.Sdk.Events;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// The reporter's calls over an <see cref="IPaygenticClient"/>. With the SDK's own usage client the batch answer's
/// successful events are skipped instead of parsed (a third of the reporter's CPU), and the client's merchant is filled
/// in once; any other <see cref="IUsageClient"/> gets the public calls.
/// </summary>
internal sealed class ClientReportTransport(IPaygenticClient client) : IReportTransport
{
    private readonly UsageClient? _sdkUsage = client.Usage as UsageClient;

    public string? DefaultMerchantId => _sdkUsage?.DefaultMerchantId;

    public Task<UsageEvent> SendUsageAsync(UsageReport report, CancellationToken cancellationToken) =>
        client.Usage.CreateAsync(report, cancellationToken);

    public Task<UsageBatchResult> SendUsageBatchAsync(IReadOnlyList<UsageReport> reports, CancellationToken cancellationToken) =>
        _sdkUsage is not null
            ? _sdkUsage.CreateBatchAsync(reports, keepEvents: false, cancellationToken)
            : client.Usage.CreateBatchAsync(reports, cancellationToken);

    public Task<EventReceipt> SendEventAsync(MeterEvent meterEvent, CancellationToken cancellationToken) =>
        client.Events.IngestAsync(meterEvent, cancellationToken);
}
