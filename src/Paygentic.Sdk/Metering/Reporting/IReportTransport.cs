using Paygentic.Sdk.Events;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// The calls the reporter makes, and nothing else. Production uses <see cref="ClientReportTransport"/> over the SDK's
/// client; tests pass their own, so every test of the reporter runs the same delivery code as production.
/// </summary>
internal interface IReportTransport
{
    /// <summary>The merchant filled in for a report without one (null: each report names its own).</summary>
    string? DefaultMerchantId { get; }

    Task<UsageEvent> SendUsageAsync(UsageReport report, CancellationToken cancellationToken);

    /// <summary>Sends a batch; only <see cref="UsageBatchResult.Failed"/> is read (the successful events may be left out).</summary>
    Task<UsageBatchResult> SendUsageBatchAsync(IReadOnlyList<UsageReport> reports, CancellationToken cancellationToken);

    Task<EventReceipt> SendEventAsync(MeterEvent meterEvent, CancellationToken cancellationToken);
}
