namespace Paygentic.Sdk.Metering;

/// <summary>The kinds of <see cref="RecoveryDecision"/>.</summary>
public enum RecoveryAction
{
    /// <summary>Report quantities.</summary>
    Report = 0,

    /// <summary>Charge nothing.</summary>
    Skip = 1,

    /// <summary>Leave the ticket for a later <see cref="IMeteringGuard.CompleteAsync"/> or <see cref="IMeteringGuard.CancelAsync"/>.</summary>
    Keep = 2,
}
