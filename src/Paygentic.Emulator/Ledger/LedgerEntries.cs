namespace Paygentic.Emulator.Ledger;

/// <summary>A prefund paid through the checkout page (or at once with auto-pay).</summary>
internal sealed record PrefundEntry(string SubscriptionId, string PaymentSessionId, long Amount, DateTimeOffset PaidAt);

/// <summary>A refunded usage event.</summary>
internal sealed record RefundEntry(string UsageId, string IdempotencyKey, long Amount, DateTimeOffset RefundedAt, string? Reason);

/// <summary>How one charge splits between a reservation and the available balance.</summary>
internal readonly record struct ChargePlan(long Amount, long FromReservation, long FromBalance);
