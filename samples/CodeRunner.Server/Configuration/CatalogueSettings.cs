using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CodeRunner.Server.Configuration;

/// <summary>
/// The plan, metric ids and prices the server bills against: the console sample's <c>PAYGENTIC_*</c> keys with the
/// same defaults (the emulator's seed), so one configuration serves both samples.
/// </summary>
internal sealed record CatalogueSettings
{
    public string LegacyPlanId { get; init; } = "plan_legacy";

    public string StandardPlanId { get; init; } = "plan_standard";

    public string ProductId { get; init; } = "prod_codeexec";

    public string BasicMetricId { get; init; } = "bm_basicsub";

    public string PremiumMetricId { get; init; } = "bm_premiumsub";

    public string ExecutionTimeMetricId { get; init; } = "bm_exectime";

    public decimal BasicPriceUsd { get; init; } = 0.01m;

    public decimal PremiumPriceUsd { get; init; } = 0.05m;

    /// <summary>Price of one CPU millisecond.</summary>
    public decimal ExecutionTimePriceUsd { get; init; } = 0.00001m;

    public string FeatureKey { get; init; } = "submissions";

    public string EventType { get; init; } = "code.submission";

    /// <summary>Standard billing: the price of one submission event.</summary>
    public decimal StandardPriceUsd { get; init; } = 0.002m;

    /// <summary>What each sign-up's subscription prefunds into the wallet.</summary>
    public decimal PrefundUsd { get; init; } = 10.00m;

    public static CatalogueSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var d = new CatalogueSettings();
        return new CatalogueSettings
        {
            LegacyPlanId = Text(configuration, "PAYGENTIC_PLAN_ID", d.LegacyPlanId),
            StandardPlanId = Text(configuration, "PAYGENTIC_STANDARD_PLAN_ID", d.StandardPlanId),
            ProductId = Text(configuration, "PAYGENTIC_PRODUCT_ID", d.ProductId),
            BasicMetricId = Text(configuration, "PAYGENTIC_BASIC_METRIC_ID", d.BasicMetricId),
            PremiumMetricId = Text(configuration, "PAYGENTIC_PREMIUM_METRIC_ID", d.PremiumMetricId),
            ExecutionTimeMetricId = Text(configuration, "PAYGENTIC_EXECTIME_METRIC_ID", d.ExecutionTimeMetricId),
            BasicPriceUsd = Money(configuration, "PAYGENTIC_BASIC_PRICE_USD", d.BasicPriceUsd),
            PremiumPriceUsd = Money(configuration, "PAYGENTIC_PREMIUM_PRICE_USD", d.PremiumPriceUsd),
            ExecutionTimePriceUsd = Money(configuration, "PAYGENTIC_EXECTIME_PRICE_USD", d.ExecutionTimePriceUsd),
            FeatureKey = Text(configuration, "PAYGENTIC_FEATURE_KEY", d.FeatureKey),
            EventType = Text(configuration, "PAYGENTIC_EVENT_TYPE", d.EventType),
            StandardPriceUsd = Money(configuration, "PAYGENTIC_STANDARD_PRICE_USD", d.StandardPriceUsd),
            PrefundUsd = Money(configuration, "PAYGENTIC_PREFUND_USD", d.PrefundUsd),
        };
    }

    private static string Text(IConfiguration configuration, string key, string fallback) =>
        string.IsNullOrWhiteSpace(configuration[key]) ? fallback : configuration[key]!.Trim();

    private static decimal Money(IConfiguration configuration, string key, decimal fallback)
    {
        string? value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        // Invariant decimal: "0.00001" must never become 1E-05 or 0,00001, and money is never a double.
        return decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal parsed) && parsed >= 0
            ? parsed
            : throw new FormatException($"{key} must be a non-negative decimal amount in USD such as 0.01 (got '{value}').");
    }
}
