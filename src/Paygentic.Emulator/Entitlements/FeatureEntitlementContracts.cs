using System.Text.Json;

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

/// <summary>The spec's v1 <c>Entitlement</c> (201 of issue); <c>config</c> is required, so non-static features send <c>{}</c>.</summary>
internal sealed record IssuedEntitlementBody(
    string Object,
    string Id,
    string CustomerId,
    string FeatureId,
    string? SubscriptionId,
    string Status,
    DateTimeOffset ActiveFrom,
    DateTimeOffset? ActiveTo,
    JsonElement Config,
    Dictionary<string, string>? Metadata);

/// <summary>The spec's <c>EntitlementAccessResult</c> (items of <c>GET /v1/entitlements</c>).</summary>
internal sealed record AccessResultBody(
    string EntitlementId,
    bool HasAccess,
    string FeatureKey,
    string FeatureType,
    string ProductId,
    DateTimeOffset ActiveFrom,
    DateTimeOffset? ActiveTo,
    string Status,
    JsonElement? Config,
    decimal? Balance,
    decimal? UsageInPeriod,
    decimal? Overage,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd,
    bool? IsSoftLimit,
    string CustomerId,
    string FeatureId,
    string? SubscriptionId);

/// <summary><c>GET /v1/entitlements</c> response.</summary>
internal sealed record AccessResultListBody(string Object, IReadOnlyList<AccessResultBody> Data, Http.Pagination Pagination);

/// <summary>The spec's <c>EntitlementDetail</c>: one shape whose metered/static fields appear only for that <c>featureType</c>.</summary>
internal sealed record EntitlementDetailBody(
    string Object,
    string Id,
    string CustomerId,
    string FeatureId,
    string FeatureKey,
    string FeatureType,
    string? SubscriptionId,
    string Status,
    DateTimeOffset ActiveFrom,
    DateTimeOffset? ActiveTo,
    bool HasAccess,
    Dictionary<string, string>? Metadata,
    JsonElement? Config,
    bool? IsSoftLimit,
    decimal? Balance,
    decimal? UsageInPeriod,
    decimal? Overage,
    DateTimeOffset? CurrentPeriodStart,
    DateTimeOffset? CurrentPeriodEnd);
