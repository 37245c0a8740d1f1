namespace Paygentic.Sdk.Metering;

/// <summary>Where a completed operation's usage report stands.</summary>
public enum ReportState
{
    /// <summary>Nothing was reported (all quantities were zero, or the operation was cancelled).</summary>
    None = 0,

    /// <summary>Paygentic accepted the report.</summary>
    Delivered = 1,

    /// <summary>The report is in the outbox and will be delivered in the background with the same idempotency key.</summary>
    Queued = 2,

    /// <summary>Paygentic refused the report permanently; it is in the dead-letter list (see <see cref="Reporting.IUsageReporter"/>).</summary>
    DeadLettered = 3,

    /// <summary>
    /// Paygentic already had a report under this idempotency key, with other quantities: these quantities were
    /// <b>not</b> billed (the earlier ones were). The operation id was used for other work before.
    /// </summary>
    Duplicate = 4,

    /// <summary>
    /// This call did not run the work: the operation id was metered before (see
    /// <see cref="MeteringOptions.ReusedOperationId"/>). The receipt describes the earlier report.
    /// </summary>
    AlreadyMetered = 5,
}
