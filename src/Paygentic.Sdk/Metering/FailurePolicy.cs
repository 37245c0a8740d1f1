namespace Paygentic.Sdk.Metering;

/// <summary>What the guard charges when the guarded work throws.</summary>
public enum FailurePolicy
{
    /// <summary>Nothing is charged; the authorization is cancelled and the exception propagates unchanged. The default.</summary>
    NoCharge = 0,

    /// <summary>
    /// The quantities the work recorded on its <see cref="MeteringScope"/> before it failed are charged (estimates are
    /// not); with nothing recorded, nothing is charged. The exception still propagates unchanged.
    /// </summary>
    ChargeRecordedUsage = 1,
}
