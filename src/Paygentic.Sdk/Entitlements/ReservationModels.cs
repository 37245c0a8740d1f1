using System.Text.Json.Serialization;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Entitlements;

/// <summary>One metric of a reservation: how many units to hold funds for, optionally at a per-unit price.</summary>
public sealed record ReservationItem
{
    /// <summary>The billable metric (<c>bm_…</c>).</summary>
    public required string BillableMetricId { get; init; }

    /// <summary>Units to hold funds for (≥ 0; may be fractional).</summary>
    public required decimal Quantity { get; init; }

    /// <summary>A per-unit price override in US dollars (≤ 9 decimals).</summary>
    [JsonConverter(typeof(NullableDecimalUsdJsonConverter))]
    public decimal? Price { get; init; }
}

/// <summary>
/// The body of <c>POST /v0/entitlements</c> (legacy prepaid billing): reserves funds in the customer's wallet
/// for up to <see cref="MaxUses"/> usage reports.
/// </summary>
public sealed record CreateReservationRequest
{
    /// <summary>The customer whose wallet is held.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The merchant; defaults to <see cref="PaygenticOptions.MerchantId"/>.</summary>
    public string? MerchantId { get; init; }

    /// <summary>What to reserve (the API's <c>entitlementData</c>).</summary>
    [JsonPropertyName("entitlementData")]
    public required IReadOnlyList<ReservationItem> Items { get; init; }

    /// <summary>How many usage reports may draw on it, 1–1000 (server default 1).</summary>
    public int? MaxUses { get; init; }
}

/// <summary>One metric held by a reservation.</summary>
public sealed record ReservedMetric
{
    /// <summary>The billable metric.</summary>
    public string? BillableMetricId { get; init; }

    /// <summary>The per-unit price in US dollars.</summary>
    [JsonConverter(typeof(NullableDecimalUsdJsonConverter))]
    public decimal? Price { get; init; }

    /// <summary>Units held.</summary>
    public decimal? Quantity { get; init; }
}

/// <summary>
/// A reservation of wallet funds (the legacy v0 "entitlement"). Pass its <see cref="Id"/> as the usage report's
/// <c>entitlementId</c> so the charge is drawn from the hold.
/// </summary>
public sealed record Reservation
{
    /// <summary>The reservation id (<c>com_…</c> in practice; the spec also says <c>ent_…</c>: no prefix is assumed).</summary>
    [JsonConverter(typeof(AnswerIdJsonConverter))]
    public required string Id { get; init; }

    /// <summary>Always <c>entitlement</c>.</summary>
    [JsonPropertyName("object")]
    public string? ObjectType { get; init; }

    /// <summary>What is held.</summary>
    public IReadOnlyList<ReservedMetric>? BillableMetrics { get; init; }

    /// <summary>The customer.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The merchant.</summary>
    public string? MerchantId { get; init; }

    /// <summary>When it was made.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When unused funds go back to the wallet.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>How many usage reports may draw on it.</summary>
    public int? MaxUses { get; init; }

    /// <summary>How many have.</summary>
    public int? UsedCount { get; init; }

    /// <summary>The region that holds it (<c>global</c>, …).</summary>
    public string? Region { get; init; }

    /// <summary>What is left of the hold.</summary>
    public Nanodollars? RemainingBalance { get; init; }
}

/// <summary>Subscription-derived access of a customer to a product (legacy v0), not a wallet reservation.</summary>
public sealed record ActiveEntitlement
{
    /// <summary>The entitlement id.</summary>
    public string? Id { get; init; }

    /// <summary>Always <c>entitlement</c>.</summary>
    [JsonPropertyName("object")]
    public string? ObjectType { get; init; }

    /// <summary>The metrics it covers.</summary>
    public IReadOnlyList<string>? BillableMetrics { get; init; }

    /// <summary>The customer.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The plan.</summary>
    public string? PlanId { get; init; }

    /// <summary>The product.</summary>
    public string? ProductId { get; init; }

    /// <summary>The subscription.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>When it was last verified.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }
}
