using Paygentic.Emulator.Events;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Seed;

/// <summary>Refuses a seed that would make the emulator send ids or values the spec does not allow.</summary>
internal static class SeedValidator
{
    public static void Validate(EmulatorSeed seed)
    {
        if (seed.Merchants.Count == 0)
        {
            throw new InvalidOperationException("The seed has no merchants.");
        }

        foreach (var merchant in seed.Merchants)
        {
            Require(Ids.Matches(merchant.Id, "org"), $"merchant id '{merchant.Id}' must be org_ + letters/digits");
            Require(!string.IsNullOrWhiteSpace(merchant.ApiKey), $"merchant '{merchant.Id}' needs an apiKey");
            foreach (var product in merchant.Products)
            {
                Require(Ids.Matches(product.Id, "prod"), $"product id '{product.Id}' must be prod_ + letters/digits");
            }

            foreach (var metric in merchant.BillableMetrics)
            {
                Require(Ids.Matches(metric.Id, "bm"), $"metric id '{metric.Id}' must be bm_ + letters/digits");
                Require(metric.Aggregation is "COUNT" or "SUM", $"metric '{metric.Id}': aggregation must be COUNT or SUM");
                Require(
                    metric.Aggregation != "SUM" || JsonPathValue.IsSupported(metric.ValueProperty),
                    $"metric '{metric.Id}': SUM needs a valueProperty like $.field");
            }

            foreach (var feature in merchant.Features)
            {
                Require(Ids.Matches(feature.Id, "feat"), $"feature id '{feature.Id}' must be feat_ + letters/digits");
                Require(feature.Type is "boolean" or "static" or "metered", $"feature '{feature.Id}': type must be boolean, static or metered");
                Require(
                    feature.Type != "metered" || merchant.BillableMetrics.Any(m => m.Id == feature.BillableMetricId),
                    $"metered feature '{feature.Id}' needs a billableMetricId of this merchant");
            }

            foreach (var plan in merchant.Plans)
            {
                Require(Ids.Matches(plan.Id, "plan"), $"plan id '{plan.Id}' must be plan_ + letters/digits");
                Require(plan.BillingVersion is 0 or 1, $"plan '{plan.Id}': billingVersion must be 0 or 1");
                Require(merchant.Products.Any(p => p.Id == plan.ProductId), $"plan '{plan.Id}' names unknown product '{plan.ProductId}'");
            }
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Invalid seed: " + message + ".");
        }
    }
}
