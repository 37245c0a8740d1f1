namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// Everything needed to rebuild a report's request byte for byte on any later attempt: the idempotency key is fixed
/// here, derived from the operation id only.
/// </summary>
public sealed record PendingReport
{
    /// <summary>Legacy usage or Standard meter event.</summary>
    public required MeteringStrategy Strategy { get; init; }

    /// <summary>The deduplication key, e.g. <c>{operationId}:usage</c>.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The customer.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The merchant (null: the client's configured one).</summary>
    public string? MerchantId { get; init; }

    /// <summary>When the usage happened (completion time).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Units per billable metric (legacy) or per event data property (standard); every value ≥ 1 for legacy.</summary>
    public required IReadOnlyDictionary<string, long> Quantities { get; init; }

    /// <summary>Legacy: the reservation to draw on.</summary>
    public string? EntitlementId { get; init; }

    /// <summary>Metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Standard: the event type.</summary>
    public string? EventType { get; init; }

    /// <summary>Standard: the event source.</summary>
    public string? EventSource { get; init; }
}
