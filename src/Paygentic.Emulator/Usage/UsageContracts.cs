namespace Paygentic.Emulator.Usage;

/// <summary>The spec's <c>CreateUsageEventRequest</c> (single, and each item of a batch).</summary>
internal sealed class CreateUsageEventRequest
{
    public string? CustomerId { get; init; }

    public string? MerchantId { get; init; }

    public string? IdempotencyKey { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public List<UsagePropertyInput>? Properties { get; init; }

    public string? EntitlementId { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }
}

/// <summary>One metered quantity; <c>quantity</c> is an integer ≥ 1 (a fraction fails deserialization: a 400).</summary>
internal sealed class UsagePropertyInput
{
    public string? BillableMetricId { get; init; }

    public long? Quantity { get; init; }

    public string? Price { get; init; }
}

/// <summary><c>PATCH /v0/usage/{id}</c> request: a refund.</summary>
internal sealed class RefundUsageRequest
{
    public bool? Refunded { get; init; }

    public string? Reason { get; init; }
}

/// <summary>A usage property as stored and returned.</summary>
internal sealed record UsagePropertyBody(string BillableMetricId, long Quantity, string? Price);

/// <summary>The spec's <c>UsageEvent</c>; <c>billing</c> amounts are integers in nanodollars.</summary>
internal sealed record UsageEventBody(
    string Id,
    string Object,
    string SubscriptionId,
    string CustomerId,
    string MerchantId,
    string ConsumerId,
    IReadOnlyList<UsagePropertyBody> Properties,
    DateTimeOffset Timestamp,
    DateTimeOffset CreatedAt,
    string IdempotencyKey,
    string? EntitlementId,
    Dictionary<string, string>? Metadata,
    BillingBody Billing,
    RefundBody? Refund);

/// <summary>What a usage event cost, nanodollars (tax is always 0 in the emulator).</summary>
internal sealed record BillingBody(string BillingEventId, string Currency, long Price, long TotalAmount, long TotalTax);

/// <summary>Set once a usage event is refunded.</summary>
internal sealed record RefundBody(string? Reason, DateTimeOffset RefundedAt);

/// <summary><c>GET /v0/usage</c> response.</summary>
internal sealed record UsageListBody(string Object, IReadOnlyList<UsageEventBody> Data, Http.Pagination Pagination);

/// <summary>The spec's <c>BatchUsageEventResponse</c>.</summary>
internal sealed record BatchUsageBody(string Object, IReadOnlyList<UsageEventBody> Successful, IReadOnlyList<BatchFailureBody> Failed, BatchSummaryBody Summary);

/// <summary>One failed batch item.</summary>
internal sealed record BatchFailureBody(int Index, string IdempotencyKey, string Error);

/// <summary>Counts of a batch.</summary>
internal sealed record BatchSummaryBody(int Total, int Successful, int Failed);
