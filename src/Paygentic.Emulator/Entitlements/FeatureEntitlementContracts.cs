using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paygentic.Emulator.Entitlements;

/// <summary><c>POST /v1/entitlements</c> request; the template is read raw because it is a oneOf on <c>type</c>.</summary>
internal sealed class IssueEntitlementRequest
{
    public string? CustomerId { get; init; }

    public string? FeatureId { get; init; }

    public JsonElement? Template { get; init; }

    public DateTimeOffset? ActiveFrom { get; init; }

    public DateTimeOffset? ActiveTo { get; init; }

    public string? SubscriptionId { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }
}

/// <summary>
/// The spec's <c>EntitlementListItem</c> (items of <c>GET /v1/entitlements</c>), valid under both descriptions. The
/// 2026-08-06 variants are strict (<c>unevaluatedProperties: false</c>) and require some fields even when empty, so
/// those are written as <c>null</c> (<see cref="JsonIgnoreCondition.Never"/>, or a JSON-null <see cref="JsonElement"/>
/// for the metered-only ones), while metered-only fields stay absent from boolean and static items.
/// </summary>
internal sealed record AccessResultBody(
    string EntitlementId,
    bool HasAccess,
    string FeatureKey,
    string FeatureType,
    string ProductId,
    DateTimeOffset ActiveFrom,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ActiveTo,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Config,
    decimal? Balance,
    decimal? UsageInPeriod,
    decimal? Overage,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool? IsSoftLimit,
    JsonElement? PricingUnitId,
    string CustomerId,
    string FeatureId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? SubscriptionId,
    Dictionary<string, string> Metadata);

/// <summary><c>GET /v1/entitlements</c> response.</summary>
internal sealed record AccessResultListBody(string Object, IReadOnlyList<AccessResultBody> Data, Http.Pagination Pagination);

/// <summary>
/// The spec's <c>EntitlementDetail</c> (get, and the 201 of issue): one shape whose metered fields appear only for
/// metered features. It also satisfies the 2026-04-18 flat <c>Entitlement</c> of the 201, which allows extra fields.
/// Required-but-empty fields are written as <c>null</c>, as in <see cref="AccessResultBody"/>.
/// </summary>
internal sealed record EntitlementDetailBody(
    string Object,
    string Id,
    string CustomerId,
    string FeatureId,
    string FeatureKey,
    string FeatureType,
    string ProductId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? SubscriptionId,
    string Status,
    DateTimeOffset ActiveFrom,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ActiveTo,
    bool HasAccess,
    Dictionary<string, string> Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonElement? Config,
    bool? IsSoftLimit,
    decimal? Balance,
    decimal? UsageInPeriod,
    decimal? Overage,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    JsonElement? PricingUnitId);
