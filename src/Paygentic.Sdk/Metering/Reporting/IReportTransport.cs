using Paygentic.Sdk.Events;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// The calls the reporter makes, and nothing else. Production uses <see cref="ClientReportTransport"/> over the SDK's
/// client; tests pass their own, so every test of the reporter runs the same delivery code as production.
/// </summary>
internal interface IReportTransport
{
    Task<UsageEvent> SendUsageAsync(UsageReport report, CancellationToken cancellationToken);

    /// <summary>
    /// Sends stored reports as one batch (at most the API's limit), the client's merchant filled in for those without
    /// one; only <see cref="UsageBatchResult.Failed"/> is read (the successful events may be left out).
    /// </summary>
    Task<UsageBatchResult> SendUsageBatchAsync(IReadOnlyList<ReportItem> batch, CancellationToken cancellationToken);

    Task<EventReceipt> SendEventAsync(MeterEvent meterEvent, CancellationToken cancellationToken);
}
