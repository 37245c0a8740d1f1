namespace Paygentic.Sdk.Metering;

/// <summary>
/// What the guard does when an operation id was metered before. The work never runs again either way: an operation id
/// names one unit of work, and running it twice would do work nobody pays for (or charge it twice).
/// </summary>
public enum ReusedOperationIdBehavior
{
    /// <summary>Throw <see cref="PaygenticOperationAlreadyMeteredException"/>, which carries the earlier receipt.</summary>
    Throw = 0,

    /// <summary>
    /// <see cref="IMeteringGuard.RunAsync{T}"/> returns the earlier receipt with <see cref="ReportState.AlreadyMetered"/>
    /// and a default value; <see cref="IMeteringGuard.AuthorizeAsync"/> still throws (it has no receipt to return).
    /// </summary>
    ReturnEarlierReceipt = 1,
}
