namespace Paygentic.Emulator.Seed;

/// <summary>
/// The world the emulator starts from (and returns to on <c>POST /_emulator/reset</c>): merchants, their API keys
/// and their catalog. The file format of <c>--seed file.json</c> is this type in camelCase JSON; see docs/emulator.md.
/// </summary>
public sealed class EmulatorSeed
{
    /// <summary>The merchants. The first one is the "demo" merchant whose key <see cref="EmulatorOptions.ApiKey"/> overrides.</summary>
    public IList<SeedMerchant> Merchants { get; set; } = [];

    /// <summary>A fresh copy of the seed shipped with the emulator (seed.default.json), e.g. to extend it in code.</summary>
    /// <returns>The default seed.</returns>
    public static EmulatorSeed LoadDefault() => SeedLoader.LoadDefault();

    /// <summary>Reads a seed file in the format of docs/emulator.md.</summary>
    /// <param name="path">The JSON file.</param>
    /// <returns>The seed.</returns>
    public static EmulatorSeed LoadFile(string path) => SeedLoader.LoadFile(path);
}

/// <summary>A merchant organisation with its API key and catalog.</summary>
public sealed class SeedMerchant
{
    /// <summary>Organisation id, <c>org_</c> + letters/digits.</summary>
    public string Id { get; set; } = "";

    /// <summary>Display name (shown by <c>include=customer</c> on the subscription list).</summary>
    public string Name { get; set; } = "";

    /// <summary>Contact e-mail of the merchant.</summary>
    public string Email { get; set; } = "";

    /// <summary>The bearer key that authenticates as this merchant.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Products.</summary>
    public IList<SeedProduct> Products { get; set; } = [];

    /// <summary>Billable metrics, each with a default decimal-USD unit price.</summary>
    public IList<SeedBillableMetric> BillableMetrics { get; set; } = [];

    /// <summary>Features that v1 entitlements grant access to.</summary>
    public IList<SeedFeature> Features { get; set; } = [];

    /// <summary>Plans that subscriptions are created on.</summary>
    public IList<SeedPlan> Plans { get; set; } = [];
}

/// <summary>A product.</summary>
public sealed class SeedProduct
{
    /// <summary>Product id, <c>prod_</c> + letters/digits.</summary>
    public string Id { get; set; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";
}

/// <summary>A billable metric: what usage is measured in and, by default, what a unit costs.</summary>
public sealed class SeedBillableMetric
{
    /// <summary>Metric id, <c>bm_</c> + letters/digits.</summary>
    public string Id { get; set; } = "";

    /// <summary>The product the metric belongs to.</summary>
    public string ProductId { get; set; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Unit label, e.g. <c>submission</c> or <c>ms</c>.</summary>
    public string Unit { get; set; } = "";

    /// <summary>Default price of one unit in decimal USD (at most 9 decimals), e.g. <c>"0.01"</c>.</summary>
    public string UnitPrice { get; set; } = "0";

    /// <summary>The <c>type</c> of <c>POST /v0/events</c> events this metric consumes; null when it takes no events.</summary>
    public string? EventType { get; set; }

    /// <summary><c>COUNT</c> (each event counts 1) or <c>SUM</c> (adds the number at <see cref="ValueProperty"/>).</summary>
    public string Aggregation { get; set; } = "COUNT";

    /// <summary>For <c>SUM</c>: a JSONPath such as <c>$.durationMs</c> into the event's <c>data</c>.</summary>
    public string? ValueProperty { get; set; }
}

/// <summary>A feature (standard billing) that v1 entitlements grant.</summary>
public sealed class SeedFeature
{
    /// <summary>Feature id, <c>feat_</c> + letters/digits.</summary>
    public string Id { get; set; } = "";

    /// <summary>The feature key clients look it up by (<c>GET /v1/entitlements?featureKey=</c>).</summary>
    public string Key { get; set; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The product the feature belongs to.</summary>
    public string ProductId { get; set; } = "";

    /// <summary><c>boolean</c>, <c>static</c> or <c>metered</c>.</summary>
    public string Type { get; set; } = "boolean";

    /// <summary>For metered features: the metric whose events draw the balance down.</summary>
    public string? BillableMetricId { get; set; }
}

/// <summary>A plan: which metrics it prices and which features it provisions.</summary>
public sealed class SeedPlan
{
    /// <summary>Plan id, <c>plan_</c> + letters/digits.</summary>
    public string Id { get; set; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The product the plan sells.</summary>
    public string ProductId { get; set; } = "";

    /// <summary>0 = legacy prepaid (wallet, reservations, v0 usage); 1 = standard (events, v1 entitlements).</summary>
    public int BillingVersion { get; set; }

    /// <summary>The metrics this plan prices.</summary>
    public IList<SeedPlanPrice> Prices { get; set; } = [];

    /// <summary>Features provisioned as v1 entitlements when a subscription to this plan becomes active.</summary>
    public IList<SeedPlanFeature> Features { get; set; } = [];
}

/// <summary>A plan's price for one metric.</summary>
public sealed class SeedPlanPrice
{
    /// <summary>The metric priced.</summary>
    public string BillableMetricId { get; set; } = "";

    /// <summary>Decimal-USD unit price on this plan; null uses the metric's <see cref="SeedBillableMetric.UnitPrice"/>.</summary>
    public string? UnitPrice { get; set; }
}

/// <summary>A feature a plan provisions, with its metered allowance.</summary>
public sealed class SeedPlanFeature
{
    /// <summary>The feature provisioned.</summary>
    public string FeatureId { get; set; } = "";

    /// <summary>Units granted at the start of each usage period (metered features).</summary>
    public long IncludedUnits { get; set; }

    /// <summary>ISO-8601 usage period, e.g. <c>P1M</c>.</summary>
    public string UsagePeriod { get; set; } = "P1M";

    /// <summary>False = hard limit: no access once the balance is used up.</summary>
    public bool IsSoftLimit { get; set; }
}
