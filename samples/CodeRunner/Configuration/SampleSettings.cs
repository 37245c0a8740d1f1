using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CodeRunner.Configuration;

/// <summary>
/// The catalogue ids and prices the sample bills against, and the demo customer. Every value defaults to the
/// emulator's seed, so the sample runs with no configuration; each key can be set in <c>appsettings.json</c> or as an
/// environment variable of the same name (the environment wins).
/// </summary>
internal sealed record SampleSettings
{
    public string LegacyPlanId { get; init; } = "plan_legacy";

    public string StandardPlanId { get; init; } = "plan_standard";

    public string ProductId { get; init; } = "prod_codeexec";

    public string BasicMetricId { get; init; } = "bm_basicsub";

    public string PremiumMetricId { get; init; } = "bm_premiumsub";

    public string ExecutionTimeMetricId { get; init; } = "bm_exectime";

    public decimal BasicPriceUsd { get; init; } = 0.01m;

    public decimal PremiumPriceUsd { get; init; } = 0.05m;

    /// <summary>Price of one millisecond of CPU time.</summary>
    public decimal ExecutionTimePriceUsd { get; init; } = 0.00001m;

    public string FeatureKey { get; init; } = "submissions";

    public string EventType { get; init; } = "code.submission";

    /// <summary>Standard billing: the price of one <c>code.submission</c> event (the seed's <c>bm_stdsub</c>).</summary>
    public decimal StandardPriceUsd { get; init; } = 0.002m;

    public decimal PrefundUsd { get; init; } = 10.00m;

    /// <summary>The demo user's e-mail: customers are idempotent by e-mail, so reruns find the same customer.</summary>
    public string DemoEmail { get; init; } = "demo@coderunner.example";

    /// <summary>Reads the settings; a key that is absent keeps the seed default.</summary>
    /// <exception cref="FormatException">A price or amount is not a decimal; the message names the key.</exception>
    public static SampleSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new SampleSettings();
        return new SampleSettings
        {
            LegacyPlanId = Text(configuration, "PAYGENTIC_PLAN_ID", defaults.LegacyPlanId),
            StandardPlanId = Text(configuration, "PAYGENTIC_STANDARD_PLAN_ID", defaults.StandardPlanId),
            ProductId = Text(configuration, "PAYGENTIC_PRODUCT_ID", defaults.ProductId),
            BasicMetricId = Text(configuration, "PAYGENTIC_BASIC_METRIC_ID", defaults.BasicMetricId),
            PremiumMetricId = Text(configuration, "PAYGENTIC_PREMIUM_METRIC_ID", defaults.PremiumMetricId),
            ExecutionTimeMetricId = Text(configuration, "PAYGENTIC_EXECTIME_METRIC_ID", defaults.ExecutionTimeMetricId),
            BasicPriceUsd = Money(configuration, "PAYGENTIC_BASIC_PRICE_USD", defaults.BasicPriceUsd),
            PremiumPriceUsd = Money(configuration, "PAYGENTIC_PREMIUM_PRICE_USD", defaults.PremiumPriceUsd),
            ExecutionTimePriceUsd = Money(configuration, "PAYGENTIC_EXECTIME_PRICE_USD", defaults.ExecutionTimePriceUsd),
            FeatureKey = Text(configuration, "PAYGENTIC_FEATURE_KEY", defaults.FeatureKey),
            EventType = Text(configuration, "PAYGENTIC_EVENT_TYPE", defaults.EventType),
            StandardPriceUsd = Money(configuration, "PAYGENTIC_STANDARD_PRICE_USD", defaults.StandardPriceUsd),
            PrefundUsd = Money(configuration, "PAYGENTIC_PREFUND_USD", defaults.PrefundUsd),
            DemoEmail = Text(configuration, "PAYGENTIC_DEMO_EMAIL", defaults.DemoEmail),
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

        // Money is parsed as decimal with the invariant culture: "0.00001" must never become 1E-05 or 0,00001.
        return decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal parsed) && parsed >= 0
            ? parsed
            : throw new FormatException($"{key} must be a non-negative decimal amount in USD such as 0.01 (got '{value}').");
    }
}
