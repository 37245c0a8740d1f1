using System.Text.Json;
using System.Text.Json.Serialization;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Entitlements;

/// <summary>The kind of feature an entitlement grants; unknown future kinds are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumJsonConverter<FeatureType>))]
public readonly record struct FeatureType(string Value) : IWireValue<FeatureType>
{
    /// <summary>On/off.</summary>
    public static FeatureType Boolean => new("boolean");

    /// <summary>Configuration values.</summary>
    public static FeatureType Static => new("static");

    /// <summary>Usage-based with a balance.</summary>
    public static FeatureType Metered => new("metered");

    /// <inheritdoc />
    public static FeatureType FromValue(string value) => new(value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>An entitlement's state; unknown future values are kept.</summary>
[JsonConverter(typeof(ExtensibleEnumJsonConverter<EntitlementStatus>))]
public readonly record struct EntitlementStatus(string Value) : IWireValue<EntitlementStatus>
{
    /// <summary>Active.</summary>
    public static EntitlementStatus Active => new("active");

    /// <summary>Canceled.</summary>
    public static EntitlementStatus Canceled => new("canceled");

    /// <summary>Expired.</summary>
    public static EntitlementStatus Expired => new("expired");

    /// <inheritdoc />
    public static EntitlementStatus FromValue(string value) => new(value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>
/// What to ask <c>GET /v1/entitlements</c>: does this customer have access, and how much is left? Name the customer
/// by exactly one of <see cref="CustomerId"/> and <see cref="ExternalCustomerId"/>.
/// </summary>
public sealed class EntitlementAccessQuery : ListOptions
{
    /// <summary>The customer (<c>cus_…</c>); the only form the 2026-04-18 API accepts.</summary>
    public string? CustomerId { get; set; }

    /// <summary>
    /// The merchant's own id of the customer (its <c>externalId</c>), instead of <see cref="CustomerId"/>. Only the
    /// 2026-08-06 API accepts it.
    /// </summary>
    public string? ExternalCustomerId { get; set; }

    /// <summary>A tenant guard (2026-08-06): the customer must belong to this merchant, or nothing is found.</summary>
    public string? MerchantId { get; set; }

    /// <summary>Only this feature key (needs <see cref="ProductId"/>).</summary>
    public string? FeatureKey { get; set; }

    /// <summary>Only this product.</summary>
    public string? ProductId { get; set; }

    /// <summary>Only this subscription.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>Evaluate at this instant instead of now.</summary>
    public DateTimeOffset? At { get; set; }
}

/// <summary>A customer's access to one feature, as <c>GET /v1/entitlements</c> lists it.</summary>
public sealed record EntitlementAccess
{
    /// <summary>The entitlement id.</summary>
    public string? EntitlementId { get; init; }

    /// <summary>Whether the customer may use the feature now.</summary>
    public bool HasAccess { get; init; }

    /// <summary>The feature key.</summary>
    public string? FeatureKey { get; init; }

    /// <summary>The feature kind.</summary>
    public FeatureType? FeatureType { get; init; }

    /// <summary>The product.</summary>
    public string? ProductId { get; init; }

    /// <summary>The customer (newer API versions).</summary>
    public string? CustomerId { get; init; }

    /// <summary>The feature (newer API versions).</summary>
    public string? FeatureId { get; init; }

    /// <summary>The subscription it came from (newer API versions; null when issued directly).</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>The pricing unit (<c>pu_…</c>) whose shared credits the balance counts, when it draws a credit pool (newer API versions).</summary>
    public string? PricingUnitId { get; init; }

    /// <summary>Metadata (newer API versions).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>The state.</summary>
    public EntitlementStatus? Status { get; init; }

    /// <summary>Active from.</summary>
    public DateTimeOffset? ActiveFrom { get; init; }

    /// <summary>Active until.</summary>
    public DateTimeOffset? ActiveTo { get; init; }

    /// <summary>Static configuration (the newer API writes <c>null</c> for other kinds).</summary>
    public JsonElement? Config { get; init; }

    /// <summary>Units left (metered; feature units, not money).</summary>
    public decimal? Balance { get; init; }

    /// <summary>Units used this period.</summary>
    public decimal? UsageInPeriod { get; init; }

    /// <summary>Units beyond the grant.</summary>
    public decimal? Overage { get; init; }

    /// <summary>Whether use may continue past the balance (billed as overage).</summary>
    public bool? IsSoftLimit { get; init; }

    /// <summary>Current period start.</summary>
    public DateTimeOffset? CurrentPeriodStart { get; init; }

    /// <summary>Current period end.</summary>
    public DateTimeOffset? CurrentPeriodEnd { get; init; }
}

/// <summary>
/// One entitlement in detail (<c>GET /v1/entitlements/{id}</c>, and the answer to an issue). Tolerates both the
/// flat 2026-04-18 body (no <see cref="HasAccess"/>) and the newer body discriminated on <see cref="FeatureType"/>.
/// </summary>
public sealed record EntitlementDetail
{
    /// <summary>The entitlement id.</summary>
    public required string Id { get; init; }

    /// <summary>Always <c>entitlement</c>.</summary>
    [JsonPropertyName("object")]
    public string? ObjectType { get; init; }

    /// <summary>The customer.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The feature.</summary>
    public string? FeatureId { get; init; }

    /// <summary>The feature key.</summary>
    public string? FeatureKey { get; init; }

    /// <summary>The feature kind (absent in the flat issue answer).</summary>
    public FeatureType? FeatureType { get; init; }

    /// <summary>The product (newer API versions).</summary>
    public string? ProductId { get; init; }

    /// <summary>The subscription it came from.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>The state.</summary>
    public EntitlementStatus? Status { get; init; }

    /// <summary>Active from.</summary>
    public DateTimeOffset? ActiveFrom { get; init; }

    /// <summary>Active until.</summary>
    public DateTimeOffset? ActiveTo { get; init; }

    /// <summary>Whether the customer has access (absent in the flat issue answer).</summary>
    public bool? HasAccess { get; init; }

    /// <summary>Metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Static configuration.</summary>
    public JsonElement? Config { get; init; }

    /// <summary>Whether use may continue past the balance.</summary>
    public bool? IsSoftLimit { get; init; }

    /// <summary>Units left.</summary>
    public decimal? Balance { get; init; }

    /// <summary>Units used this period.</summary>
    public decimal? UsageInPeriod { get; init; }

    /// <summary>Units beyond the grant.</summary>
    public decimal? Overage { get; init; }

    /// <summary>Current period start.</summary>
    public DateTimeOffset? CurrentPeriodStart { get; init; }

    /// <summary>Current period end.</summary>
    public DateTimeOffset? CurrentPeriodEnd { get; init; }

    /// <summary>The pricing unit (<c>pu_…</c>) whose shared credits the balance counts, when it draws a credit pool (newer API versions).</summary>
    public string? PricingUnitId { get; init; }
}

/// <summary>The reset period of a metered entitlement.</summary>
public sealed record UsagePeriod
{
    /// <summary>An ISO-8601 duration: <c>P1D</c>, <c>P1W</c>, <c>P1M</c>, <c>P1Y</c>.</summary>
    public required string Interval { get; init; }

    /// <summary>Aligns periods to this instant.</summary>
    public DateTimeOffset? Anchor { get; init; }
}

/// <summary>How an issued entitlement behaves: boolean, static (with config) or metered.</summary>
public sealed record EntitlementTemplate
{
    /// <summary><c>boolean</c>, <c>static</c> or <c>metered</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Static configuration.</summary>
    public JsonElement? Config { get; init; }

    /// <summary>Metered reset period.</summary>
    public UsagePeriod? UsagePeriod { get; init; }

    /// <summary>Metered: allow use past the balance.</summary>
    public bool? IsSoftLimit { get; init; }

    /// <summary>Metered: units granted at each reset.</summary>
    public decimal? IssueAfterReset { get; init; }

    /// <summary>Metered: priority of those grants.</summary>
    public int? IssueAfterResetPriority { get; init; }

    /// <summary>Metered: carry overage over a reset.</summary>
    public bool? PreserveOverageAtReset { get; init; }

    /// <summary>Metered: most unused balance that rolls over.</summary>
    public decimal? ResetMaxRollover { get; init; }

    /// <summary>Metered: least balance that rolls over.</summary>
    public decimal? ResetMinRollover { get; init; }

    /// <summary>An on/off feature.</summary>
    public static EntitlementTemplate ForBoolean() => new() { Type = "boolean" };

    /// <summary>A feature with configuration values.</summary>
    /// <param name="config">The configuration object.</param>
    public static EntitlementTemplate ForStatic(JsonElement config) => new() { Type = "static", Config = config };

    /// <summary>A metered feature that resets every <paramref name="interval"/>.</summary>
    /// <param name="interval">An ISO-8601 duration such as <c>P1M</c>.</param>
    /// <param name="issueAfterReset">Units granted at each reset.</param>
    /// <param name="isSoftLimit">Allow use past the balance.</param>
    public static EntitlementTemplate ForMetered(string interval, decimal? issueAfterReset = null, bool? isSoftLimit = null) =>
        new() { Type = "metered", UsagePeriod = new UsagePeriod { Interval = interval }, IssueAfterReset = issueAfterReset, IsSoftLimit = isSoftLimit };
}

/// <summary>The body of <c>POST /v1/entitlements</c>: grant a customer access to a feature.</summary>
public sealed record IssueEntitlementRequest
{
    /// <summary>The customer.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The feature (<c>feat_…</c>).</summary>
    public required string FeatureId { get; init; }

    /// <summary>How it behaves.</summary>
    public required EntitlementTemplate Template { get; init; }

    /// <summary>Active from (default now).</summary>
    public DateTimeOffset? ActiveFrom { get; init; }

    /// <summary>Active until (default open-ended).</summary>
    public DateTimeOffset? ActiveTo { get; init; }

    /// <summary>The subscription it belongs to.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>Metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
