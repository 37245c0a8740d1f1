namespace Paygentic.Sdk.Metering;

/// <summary>
/// What happens at start-up to an operation that was authorized by an earlier process but never completed or
/// cancelled (the process died while the work ran).
/// </summary>
public enum RecoveryPolicy
{
    /// <summary>Report the operation's estimated quantities (the default: the work probably ran).</summary>
    ReportEstimate = 0,

    /// <summary>Charge nothing and forget the operation.</summary>
    Skip = 1,

    /// <summary>Ask <see cref="MeteringOptions.RecoveryCallback"/> for each such operation.</summary>
    Callback = 2,
}
