namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// A reservation shared by the fleet: one authorization at Paygentic that several operations draw on, so replicas do
/// not each reserve funds for the same customer and key.
/// </summary>
public sealed record StoredReservationPool
{
    /// <summary>The pool's key (e.g. customer and metric).</summary>
    public required string Key { get; init; }

    /// <summary>The reservation (entitlement) at Paygentic.</summary>
    public required string ReservationId { get; init; }

    /// <summary>How many more operations may draw on it (never negative).</summary>
    public required long RemainingUses { get; init; }

    /// <summary>When the reservation expires at Paygentic; an expired pool is never drawn on.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
