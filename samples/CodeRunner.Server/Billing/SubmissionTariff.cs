using System.Globalization;
using CodeRunner.Configuration;
using CodeRunner.Sandbox;
using CodeRunner.Server.Configuration;
using CodeRunner.Server.Storage;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk;

namespace CodeRunner.Server.Billing;

/// <summary>
/// What a submission is billed, as the console sample bills it. Legacy: the tier's submission metric (1) plus CPU
/// milliseconds of all runs (at least 1), reserving the worst case its limits allow (the CPU limit × runs). Standard:
/// one event carrying <c>executionMs</c>; the plan prices the event.
/// </summary>
internal sealed class SubmissionTariff(BillingMode mode, SampleSettings catalogue, LanguageRegistry languages)
{
    public const string ExecutionMsProperty = "executionMs";

    public MeteredOperation OperationFor(string customerId, string token, SubmissionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long worstCaseMs = (long)Math.Ceiling(input.CpuTimeLimit * 1000m) * input.NumberOfRuns;
        return new MeteredOperation
        {
            CustomerId = customerId,
            OperationId = OperationIdOf(token),
            EstimatedQuantities = mode == BillingMode.Legacy ? Quantities(input.LanguageId, worstCaseMs) : null,
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["submission"] = token,
                ["languageId"] = input.LanguageId.ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary>The guard's operation id of a submission: stable, so a retry or a restart never charges twice.</summary>
    public static string OperationIdOf(string token) => "j0-" + token;

    /// <summary>The submission token of an operation id, or null for an operation that is not a submission's.</summary>
    public static string? TokenOf(string operationId) =>
        operationId.StartsWith("j0-", StringComparison.Ordinal) ? operationId[3..] : null;

    public IReadOnlyDictionary<string, long> ActualQuantities(SubmissionInput input, SubmissionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(outcome);
        long milliseconds = Math.Max(1, outcome.CpuMilliseconds);
        return mode == BillingMode.Legacy
            ? Quantities(input.LanguageId, milliseconds)
            : new Dictionary<string, long>(StringComparer.Ordinal) { [ExecutionMsProperty] = milliseconds };
    }

    /// <summary>The charge of reported quantities at the configured prices, exact in nanodollars.</summary>
    public Nanodollars PriceOf(IReadOnlyDictionary<string, long> quantities)
    {
        ArgumentNullException.ThrowIfNull(quantities);
        if (mode == BillingMode.Standard)
        {
            return quantities.Count == 0 ? Nanodollars.Zero : Nanodollars.FromUsd(catalogue.StandardPriceUsd);
        }

        decimal total = 0m;
        foreach (var (metric, quantity) in quantities)
        {
            total += quantity * UnitPrice(metric);
        }

        return Nanodollars.FromUsd(total);
    }

    private LanguageTier TierOf(int languageId) =>
        languages.TryGet(languageId, out Language? language) ? language.Tier : LanguageTier.Basic;

    private Dictionary<string, long> Quantities(int languageId, long milliseconds) => new(StringComparer.Ordinal)
    {
        [TierOf(languageId) == LanguageTier.Premium ? catalogue.PremiumMetricId : catalogue.BasicMetricId] = 1,
        [catalogue.ExecutionTimeMetricId] = milliseconds,
    };

    private decimal UnitPrice(string metric) =>
        metric == catalogue.BasicMetricId ? catalogue.BasicPriceUsd
        : metric == catalogue.PremiumMetricId ? catalogue.PremiumPriceUsd
        : metric == catalogue.ExecutionTimeMetricId ? catalogue.ExecutionTimePriceUsd
        : throw new InvalidOperationException($"No price configured for metric {metric}.");
}
