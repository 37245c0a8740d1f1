using Paygentic.Emulator.Customers;
using Paygentic.Emulator.Entitlements;
using Paygentic.Emulator.Events;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.Seed;
using Paygentic.Emulator.Subscriptions;
using Paygentic.Emulator.Usage;

namespace Paygentic.Emulator.State;

/// <summary>
/// Everything one merchant owns. All of it is guarded by <see cref="Gate"/>: one lock per merchant keeps the
/// ledger invariant and exactly-once charging simple to reason about, and the work done under it is tiny.
/// </summary>
internal sealed class MerchantState
{
    public MerchantState(SeedMerchant seed)
    {
        Id = seed.Id;
        Name = seed.Name;
        Email = seed.Email;
        ApiKey = seed.ApiKey;
        Products = seed.Products.ToDictionary(p => p.Id, p => new Product(p.Id, p.Name), StringComparer.Ordinal);
        Metrics = seed.BillableMetrics.ToDictionary(m => m.Id, ToMetric, StringComparer.Ordinal);
        Features = seed.Features.ToDictionary(
            f => f.Id,
            f => new Feature(f.Id, f.Key, f.Name, f.ProductId, f.Type, f.BillableMetricId),
            StringComparer.Ordinal);
        Plans = seed.Plans.ToDictionary(p => p.Id, ToPlan, StringComparer.Ordinal);
    }

    public Lock Gate { get; } = new();

    public string Id { get; }

    public string Name { get; }

    public string Email { get; }

    public string ApiKey { get; set; }

    public IReadOnlyDictionary<string, Product> Products { get; }

    public IReadOnlyDictionary<string, Metric> Metrics { get; }

    public IReadOnlyDictionary<string, Feature> Features { get; }

    public IReadOnlyDictionary<string, Plan> Plans { get; }

    public Dictionary<string, CustomerRecord> Customers { get; } = new(StringComparer.Ordinal);

    /// <summary>Customers in creation order, for stable paging.</summary>
    public List<CustomerRecord> CustomerOrder { get; } = [];

    public Dictionary<string, CustomerRecord> CustomersByEmail { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, CustomerRecord> CustomersByExternalId { get; } = new(StringComparer.Ordinal);

    /// <summary>Wallets by customer id; a wallet outlives its customer so the ledger never loses money.</summary>
    public Dictionary<string, Wallet> Wallets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SubscriptionRecord> Subscriptions { get; } = new(StringComparer.Ordinal);

    public List<SubscriptionRecord> SubscriptionOrder { get; } = [];

    public Dictionary<string, List<SubscriptionRecord>> SubscriptionsByCustomer { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SubscriptionRecord> SubscriptionsByPaymentSession { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Reservation> Reservations { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, UsageRecord> UsageById { get; } = new(StringComparer.Ordinal);

    /// <summary>Charges by idempotency key: the exactly-once index.</summary>
    public Dictionary<string, UsageRecord> UsageByKey { get; } = new(StringComparer.Ordinal);

    public List<UsageRecord> UsageOrder { get; } = [];

    public Dictionary<string, FeatureEntitlement> FeatureEntitlements { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<FeatureEntitlement>> FeatureEntitlementsByCustomer { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EventRecord> EventsByKey { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<EventRecord>> EventsBySubject { get; } = new(StringComparer.Ordinal);

    /// <summary>The customer's subscriptions (empty when none).</summary>
    public IReadOnlyList<SubscriptionRecord> SubscriptionsOf(string customerId) =>
        SubscriptionsByCustomer.TryGetValue(customerId, out var list) ? list : [];

    /// <summary>The customer's v1 entitlements (empty when none).</summary>
    public IReadOnlyList<FeatureEntitlement> FeatureEntitlementsOf(string customerId) =>
        FeatureEntitlementsByCustomer.TryGetValue(customerId, out var list) ? list : [];

    public void AddFeatureEntitlement(FeatureEntitlement entitlement)
    {
        FeatureEntitlements.Add(entitlement.Id, entitlement);
        if (!FeatureEntitlementsByCustomer.TryGetValue(entitlement.CustomerId, out var list))
        {
            FeatureEntitlementsByCustomer[entitlement.CustomerId] = list = [];
        }

        list.Add(entitlement);
    }

    private static Metric ToMetric(SeedBillableMetric seed)
    {
        if (Money.TryParseUsd(seed.UnitPrice, out var nanos) != Money.ParseResult.Ok)
        {
            throw new InvalidOperationException($"Seed metric '{seed.Id}' has an invalid unitPrice '{seed.UnitPrice}'.");
        }

        return new Metric(seed.Id, seed.ProductId, seed.Name, seed.Unit, nanos, seed.EventType, seed.Aggregation, seed.ValueProperty);
    }

    private Plan ToPlan(SeedPlan seed)
    {
        var prices = new Dictionary<string, PlanPrice>(StringComparer.Ordinal);
        foreach (var price in seed.Prices)
        {
            if (!Metrics.TryGetValue(price.BillableMetricId, out var metric))
            {
                throw new InvalidOperationException($"Seed plan '{seed.Id}' prices unknown metric '{price.BillableMetricId}'.");
            }

            var nanos = metric.UnitPriceNanos;
            if (price.UnitPrice is not null && Money.TryParseUsd(price.UnitPrice, out nanos) != Money.ParseResult.Ok)
            {
                throw new InvalidOperationException($"Seed plan '{seed.Id}' has an invalid unitPrice '{price.UnitPrice}'.");
            }

            prices[metric.Id] = new PlanPrice(metric.Id, nanos);
        }

        var features = new List<PlanFeature>();
        foreach (var feature in seed.Features)
        {
            if (!Features.ContainsKey(feature.FeatureId) || !IsoDuration.TryParse(feature.UsagePeriod, out var period) || !period.IsPositive)
            {
                throw new InvalidOperationException($"Seed plan '{seed.Id}' provisions unknown feature '{feature.FeatureId}' or has a bad usagePeriod.");
            }

            features.Add(new PlanFeature(feature.FeatureId, feature.IncludedUnits, period, feature.IsSoftLimit));
        }

        return new Plan(seed.Id, seed.Name, seed.ProductId, seed.BillingVersion, prices, features);
    }
}
