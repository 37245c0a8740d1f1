using System.Text.Json;

namespace Paygentic.Emulator.Entitlements;

/// <summary><c>POST /v0/entitlements</c> request: reserve funds for future usage.</summary>
internal sealed class CreateReservationRequest
{
    public string? CustomerId { get; init; }

    public string? MerchantId { get; init; }

    public List<ReservationLineInput>? EntitlementData { get; init; }

    public int? MaxUses { get; init; }
}

/// <summary>One metric to reserve for.</summary>
internal sealed class ReservationLineInput
{
    public string? BillableMetricId { get; init; }

    /// <summary>Kept raw: a number ≥ 0, possibly fractional, possibly too large for any amount (then refused as unaffordable).</summary>
    public JsonElement? Quantity { get; init; }

    /// <summary>Per-unit price override, decimal USD.</summary>
    public string? Price { get; init; }
}

/// <summary>The spec's (legacy) <c>Entitlement</c>: a reservation, id <c>com_…</c>.</summary>
internal sealed record ReservationBody(
    string Id,
    string Object,
    IReadOnlyList<ReservedMetricBody> BillableMetrics,
    DateTimeOffset CreatedAt,
    string CustomerId,
    DateTimeOffset ExpiresAt,
    int MaxUses,
    string MerchantId,
    string Region,
    string RemainingBalance,
    int UsedCount);

/// <summary>A reserved metric line with the decimal-USD unit price applied.</summary>
internal sealed record ReservedMetricBody(string BillableMetricId, string Price, decimal Quantity);

/// <summary>The spec's <c>ActiveEntitlement</c>: access derived from an active subscription.</summary>
internal sealed record ActiveEntitlementBody(
    string Id,
    string Object,
    IReadOnlyList<string> BillableMetrics,
    string CustomerId,
    string PlanId,
    string ProductId,
    string SubscriptionId,
    DateTimeOffset VerifiedAt);

/// <summary><c>GET /v0/entitlements/activeEntitlements</c> response.</summary>
internal sealed record ActiveEntitlementListBody(string Object, IReadOnlyList<ActiveEntitlementBody> Data, Http.Pagination Pagination);
