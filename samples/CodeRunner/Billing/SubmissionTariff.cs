using System.Globalization;
using CodeRunner.Cli;
using CodeRunner.Configuration;
using CodeRunner.Execution;
using CodeRunner.Sandbox;
using Paygentic.Sdk.Metering;

namespace CodeRunner.Billing;

/// <summary>
/// What a submission is billed: which metrics, how much is reserved ahead, what is reported and what that costs.
/// Legacy: one usage report with the tier's submission metric (1) and execution milliseconds (CPU ms, at least 1).
/// Standard: one <c>code.submission</c> meter event carrying <c>executionMs</c>; the plan prices the event itself.
/// </summary>
internal sealed class SubmissionTariff(BillingMode mode, SampleSettings settings, LanguageRegistry languages)
{
    /// <summary>The meter event's data property holding the CPU milliseconds (standard billing).</summary>
    public const string ExecutionMsProperty = "executionMs";

    public BillingMode Mode => mode;

    public MeteredOperation OperationFor(SubmissionJob job, string customerId, string operationId)
    {
        ArgumentNullException.ThrowIfNull(job);
        Submission submission = job.Submission;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["submission"] = job.Name,
            ["languageId"] = submission.LanguageId.ToString(CultureInfo.InvariantCulture),
            ["tier"] = TierOf(submission.LanguageId).ToString().ToLowerInvariant(),
        };

        // Legacy reserves the worst case the limits allow (every CPU millisecond of the limit), so a submission that
        // runs to its limit is still covered by its own reservation.
        IReadOnlyDictionary<string, long>? estimate = mode == BillingMode.Legacy
            ? Quantities(submission.LanguageId, (long)Math.Ceiling(submission.Limits.CpuTimeLimit * 1000m))
            : null;
        return new MeteredOperation
        {
            CustomerId = customerId,
            OperationId = operationId,
            EstimatedQuantities = estimate,
            Metadata = metadata,
        };
    }

    /// <summary>What a billable result (3–12) reports. The API's quantities are whole numbers ≥ 1.</summary>
    public IReadOnlyDictionary<string, long> ActualQuantities(SubmissionJob job, SubmissionResult result)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(result);
        long milliseconds = Math.Max(1, result.ExecutionMilliseconds);
        return mode == BillingMode.Legacy
            ? Quantities(job.Submission.LanguageId, milliseconds)
            : new Dictionary<string, long>(StringComparer.Ordinal) { [ExecutionMsProperty] = milliseconds };
    }

    /// <summary>The charge of reported quantities at the configured prices: decimal, exact, never rounded.</summary>
    public decimal PriceOf(IReadOnlyDictionary<string, long> quantities)
    {
        ArgumentNullException.ThrowIfNull(quantities);
        if (mode == BillingMode.Standard)
        {
            return quantities.Count == 0 ? 0m : settings.StandardPriceUsd; // the plan prices the event, not its data
        }

        decimal total = 0m;
        foreach (var (metric, quantity) in quantities)
        {
            total += quantity * UnitPrice(metric);
        }

        return total;
    }

    /// <summary>
    /// The language's tier. A language without a toolchain here still needs one to be authorized; its run ends as
    /// 13 and is never charged, so the Judge0 ids of the compiled languages (C 50, C++ 54) are enough.
    /// </summary>
    public LanguageTier TierOf(int languageId) =>
        languages.TryGet(languageId, out Language? language) ? language.Tier
        : languageId is 50 or 54 ? LanguageTier.Premium : LanguageTier.Basic;

    private Dictionary<string, long> Quantities(int languageId, long milliseconds) => new(StringComparer.Ordinal)
    {
        [TierOf(languageId) == LanguageTier.Premium ? settings.PremiumMetricId : settings.BasicMetricId] = 1,
        [settings.ExecutionTimeMetricId] = milliseconds,
    };

    private decimal UnitPrice(string metric) =>
        metric == settings.BasicMetricId ? settings.BasicPriceUsd
        : metric == settings.PremiumMetricId ? settings.PremiumPriceUsd
        : metric == settings.ExecutionTimeMetricId ? settings.ExecutionTimePriceUsd
        : throw new InvalidOperationException($"No price configured for metric {metric}.");
}
