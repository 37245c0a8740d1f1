using System.Text.Json;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Entitlements;

/// <summary>
/// A standard-billing (v1) entitlement: access to a feature, and for metered features a per-period allowance
/// that events draw down. Touched only under the merchant's lock.
/// </summary>
internal sealed class FeatureEntitlement
{
    private readonly List<(DateTimeOffset At, decimal Value)> usage = [];

    public required string Id { get; init; }

    public required string CustomerId { get; init; }

    public required Feature Feature { get; init; }

    public string? SubscriptionId { get; init; }

    public required DateTimeOffset ActiveFrom { get; init; }

    public DateTimeOffset? ActiveTo { get; set; }

    public bool Canceled { get; set; }

    /// <summary>The <c>config</c> of a static entitlement.</summary>
    public JsonElement? Config { get; init; }

    /// <summary>Units granted at the start of each period.</summary>
    public decimal IncludedUnits { get; init; }

    public bool IsSoftLimit { get; init; }

    public IsoDuration UsagePeriod { get; init; }

    public DateTimeOffset Anchor { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public bool IsMetered => Feature.Type == "metered";

    public string StatusAt(DateTimeOffset at) =>
        Canceled ? "canceled" : ActiveTo is { } end && end <= at ? "expired" : "active";

    public void Record(DateTimeOffset at, decimal value) => usage.Add((at, value));

    /// <summary>Access and balance as of <paramref name="at"/>: only usage inside the period containing it, up to it.</summary>
    public MeteredState Evaluate(DateTimeOffset at)
    {
        var live = StatusAt(at) == "active" && at >= ActiveFrom;
        if (!IsMetered)
        {
            return new MeteredState(live, 0, 0, 0, null, null);
        }

        var (start, end) = UsagePeriod.PeriodContaining(Anchor, at);
        decimal used = 0;
        foreach (var (when, value) in usage)
        {
            if (when >= start && when < end && when <= at)
            {
                used += value;
            }
        }

        var balance = Math.Max(0, IncludedUnits - used);
        var overage = Math.Max(0, used - IncludedUnits);
        var hasAccess = live && (IsSoftLimit || balance > 0);
        return new MeteredState(hasAccess, balance, used, overage, start, end);
    }
}

/// <summary>A metered entitlement evaluated at one instant.</summary>
internal readonly record struct MeteredState(
    bool HasAccess,
    decimal Balance,
    decimal UsageInPeriod,
    decimal Overage,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd);
