using System.Text.Json.Serialization;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Usage;

/// <summary>A quantity of one billable metric in a usage report.</summary>
public sealed record UsageProperty
{
    /// <summary>The billable metric (<c>bm_…</c>).</summary>
    public required string BillableMetricId { get; init; }

    /// <summary>Units used: a whole number ≥ 1 (scale fractional usage, e.g. report milliseconds, not seconds).</summary>
    public required long Quantity { get; init; }

    /// <summary>A dynamic per-unit price in US dollars (only for dynamic-priced metrics).</summary>
    [JsonConverter(typeof(NullableDecimalUsdJsonConverter))]
    public decimal? Price { get; init; }
}

/// <summary>
/// A usage report for <c>POST /v0/usage</c> (legacy prepaid billing). The <see cref="IdempotencyKey"/> makes it
/// safe to retry: give a stable one (e.g. derived from your operation id); when absent, the SDK derives one from the
/// report's content once, before the first attempt, and every retry reuses it.
/// </summary>
public sealed record UsageReport
{
    /// <summary>The customer.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The merchant; defaults to <see cref="PaygenticOptions.MerchantId"/>.</summary>
    public string? MerchantId { get; init; }

    /// <summary>The deduplication key: the same key is charged once.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>When the usage happened; defaults to now.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>What was used.</summary>
    public required IReadOnlyList<UsageProperty> Properties { get; init; }

    /// <summary>The reservation to draw the charge from (its id, e.g. <c>com_…</c>).</summary>
    public string? EntitlementId { get; init; }

    /// <summary>String metadata kept with the event.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>How a usage event was billed; amounts in nanodollars.</summary>
public sealed record UsageBilling
{
    /// <summary>The billing event.</summary>
    public string? BillingEventId { get; init; }

    /// <summary>The currency.</summary>
    public string? Currency { get; init; }

    /// <summary>The invoice.</summary>
    public string? InvoiceId { get; init; }

    /// <summary>The price before tax.</summary>
    public Nanodollars? Price { get; init; }

    /// <summary>The total including tax.</summary>
    public Nanodollars? TotalAmount { get; init; }

    /// <summary>The tax.</summary>
    public Nanodollars? TotalTax { get; init; }
}

/// <summary>A refund of a usage event.</summary>
public sealed record UsageRefund
{
    /// <summary>Why.</summary>
    public string? Reason { get; init; }

    /// <summary>When.</summary>
    public DateTimeOffset? RefundedAt { get; init; }
}

/// <summary>A recorded usage event.</summary>
public sealed record UsageEvent
{
    /// <summary>The event id (<c>usg_…</c>).</summary>
    [JsonConverter(typeof(AnswerIdJsonConverter))]
    public required string Id { get; init; }

    /// <summary>Always <c>usageEvent</c>.</summary>
    [JsonPropertyName("object")]
    public string? ObjectType { get; init; }

    /// <summary>The customer.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The merchant.</summary>
    public string? MerchantId { get; init; }

    /// <summary>The consumer.</summary>
    public string? ConsumerId { get; init; }

    /// <summary>The subscription it was billed under.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>The reservation it drew on.</summary>
    public string? EntitlementId { get; init; }

    /// <summary>The deduplication key.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>A description.</summary>
    public string? Description { get; init; }

    /// <summary>What was used.</summary>
    public IReadOnlyList<UsageProperty>? Properties { get; init; }

    /// <summary>Metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>How it was billed.</summary>
    public UsageBilling? Billing { get; init; }

    /// <summary>The refund, when refunded.</summary>
    public UsageRefund? Refund { get; init; }

    /// <summary>When the usage happened.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>When it was recorded.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>One report of a batch that the server refused.</summary>
/// <param name="Index">Its position in the list you passed (across chunks).</param>
/// <param name="IdempotencyKey">Its key.</param>
/// <param name="Error">The server's reason.</param>
public sealed record UsageBatchFailure(int Index, string? IdempotencyKey, string Error);

/// <summary>
/// The outcome of a usage batch (possibly several 1000-item calls): what was recorded, what was refused and
/// whether any call answered 207.
/// </summary>
public sealed record UsageBatchResult
{
    /// <summary>Recorded events.</summary>
    public required IReadOnlyList<UsageEvent> Successful { get; init; }

    /// <summary>Refused reports, by index in the input.</summary>
    public required IReadOnlyList<UsageBatchFailure> Failed { get; init; }

    /// <summary>How many reports were sent.</summary>
    public int Total { get; init; }

    /// <summary>Whether any call answered 207 (some items failed).</summary>
    public bool IsPartial { get; init; }

    /// <summary>How many HTTP calls the batch took (1000 reports each at most).</summary>
    public int Calls { get; init; }
}

/// <summary>Time window, filters and paging for listing usage. At least one filter is required.</summary>
public sealed class UsageListOptions : ListOptions
{
    /// <summary>Window start (required).</summary>
    public required DateTimeOffset StartTime { get; set; }

    /// <summary>Window end (required).</summary>
    public required DateTimeOffset EndTime { get; set; }

    /// <summary>Only this customer's.</summary>
    public string? CustomerId { get; set; }

    /// <summary>Only this merchant's.</summary>
    public string? MerchantId { get; set; }

    /// <summary>Only this consumer's.</summary>
    public string? ConsumerId { get; set; }

    /// <summary>Only this subscription's.</summary>
    public string? SubscriptionId { get; set; }
}

internal sealed record UsageBatchBody(IReadOnlyList<UsageReport> Events);

internal sealed record UsageRefundBody(bool Refunded, string? Reason);

internal sealed class UsageBatchResponse : ICheckedAnswer
{
    [JsonRequired]
    public List<UsageEvent>? Successful { get; set; }

    [JsonRequired]
    public List<UsageBatchResponseFailure>? Failed { get; set; }

    public string? MissingMember => Successful is null ? "successful" : Failed is null ? "failed" : null;
}

/// <summary>A batch answer read for its failures only: the successful events are skipped by the reader, not built.</summary>
internal sealed class UsageBatchAck : ICheckedAnswer
{
    /// <summary>Whether <c>successful</c> was there: the events are skipped, but an answer without them is not one.</summary>
    [JsonRequired]
    [JsonConverter(typeof(SkippedArrayJsonConverter))]
    public bool Successful { get; set; }

    [JsonRequired]
    public List<UsageBatchResponseFailure>? Failed { get; set; }

    public string? MissingMember => Failed is null ? "failed" : null;
}

internal sealed class UsageBatchResponseFailure
{
    // Required: a failure without its index would be pinned on the chunk's first report.
    [JsonRequired]
    public int Index { get; set; }

    [JsonRequired]
    public string? IdempotencyKey { get; set; }

    [JsonRequired]
    public string? Error { get; set; }
}
