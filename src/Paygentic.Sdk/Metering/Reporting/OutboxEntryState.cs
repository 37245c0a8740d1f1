namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>Where an outbox entry stands.</summary>
public enum OutboxEntryState
{
    /// <summary>Authorized, work not yet completed or cancelled (a ticket).</summary>
    Authorized = 0,

    /// <summary>Completed: a report waits for delivery.</summary>
    Pending = 1,

    /// <summary>Refused permanently or too old to replay: kept for a person to requeue or discard.</summary>
    DeadLettered = 2,

    /// <summary>
    /// Delivered: a tombstone kept for <see cref="MeteringOptions.TombstoneRetention"/>, so the operation id cannot be
    /// charged (or its work run) again.
    /// </summary>
    Delivered = 3,

    /// <summary>A pooled reservation (id, uses, expiry) that a later process reuses until it runs out or expires.</summary>
    Reservation = 4,
}
