namespace Paygentic.Emulator.State;

/// <summary>A billable metric as the emulator prices and routes it.</summary>
internal sealed record Metric(
    string Id,
    string ProductId,
    string Name,
    string Unit,
    long UnitPriceNanos,
    string? EventType,
    string Aggregation,
    string? ValueProperty);

/// <summary>A plan's unit price for one metric, in nanodollars.</summary>
internal sealed record PlanPrice(string BillableMetricId, long UnitPriceNanos);

/// <summary>A feature a plan provisions when a subscription to it becomes active.</summary>
internal sealed record PlanFeature(string FeatureId, long IncludedUnits, IsoDuration UsagePeriod, bool IsSoftLimit);

/// <summary>A plan.</summary>
internal sealed record Plan(
    string Id,
    string Name,
    string ProductId,
    int BillingVersion,
    IReadOnlyDictionary<string, PlanPrice> Prices,
    IReadOnlyList<PlanFeature> Features);

/// <summary>A feature; metered features name the metric whose events draw them down.</summary>
internal sealed record Feature(string Id, string Key, string Name, string ProductId, string Type, string? BillableMetricId);

/// <summary>A product.</summary>
internal sealed record Product(string Id, string Name);
