namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>Why a report was dead-lettered.</summary>
public enum DeadLetterReason
{
    /// <summary>Paygentic refused the report permanently (a 4xx other than 408/429, or a permanent batch-item error).</summary>
    Rejected = 0,

    /// <summary>Refused because the customer cannot pay (<c>INSUFFICIENT_FUNDS</c>): the work ran but is unpaid.</summary>
    Unpaid = 1,

    /// <summary>Not acknowledged within <see cref="MeteringOptions.MaxReplayAge"/>; replaying could charge twice.</summary>
    ReplayWindowExpired = 2,
}
