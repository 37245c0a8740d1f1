namespace Paygentic.Emulator.Usage;

/// <summary>A charged usage event; touched only under the merchant's lock.</summary>
internal sealed class UsageRecord
{
    public required string Id { get; init; }

    public required string IdempotencyKey { get; init; }

    public required string MerchantId { get; init; }

    public required string CustomerId { get; init; }

    public required string ConsumerId { get; init; }

    public required string SubscriptionId { get; init; }

    public string? EntitlementId { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required IReadOnlyList<UsagePropertyBody> Properties { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>The whole charge, nanodollars.</summary>
    public required long Amount { get; init; }

    /// <summary>The part drawn from the cited reservation.</summary>
    public required long FromReservation { get; init; }

    /// <summary>The part drawn from the available balance.</summary>
    public required long FromBalance { get; init; }

    public required string BillingEventId { get; init; }

    public bool Refunded { get; set; }

    public string? RefundReason { get; set; }

    public DateTimeOffset? RefundedAt { get; set; }
}
