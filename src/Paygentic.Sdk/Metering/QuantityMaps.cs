namespace Paygentic.Sdk.Metering;

/// <summary>Overlaying quantities and merging metadata without copying when one side is empty.</summary>
internal static class QuantityMaps
{
    /// <summary>
    /// The estimate with the actual quantities laid over it. Read only: the strategy copies what it keeps in the report,
    /// so with nothing recorded the estimate itself is passed on.
    /// </summary>
    public static IReadOnlyDictionary<string, long> Overlay(IReadOnlyDictionary<string, long> estimate, IReadOnlyDictionary<string, long>? actual)
    {
        if (actual is null or { Count: 0 })
        {
            return estimate;
        }

        var result = new Dictionary<string, long>(estimate, StringComparer.Ordinal);
        foreach (var (metric, quantity) in new MapEntries<long>(actual))
        {
            result[metric] = quantity;
        }

        return result;
    }

    /// <summary>Both sets of metadata, the second winning; read only (null or either input when only one has entries).</summary>
    public static IReadOnlyDictionary<string, string>? Merge(IReadOnlyDictionary<string, string>? first, IReadOnlyDictionary<string, string>? second)
    {
        if (second is null or { Count: 0 })
        {
            return first;
        }

        return first is null or { Count: 0 } ? second : MergeCopy(first, second);
    }

    public static Dictionary<string, string> MergeCopy(IReadOnlyDictionary<string, string>? first, IReadOnlyDictionary<string, string>? second)
    {
        var result = first is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(first, StringComparer.Ordinal);
        if (second is not null)
        {
            foreach (var (key, value) in second)
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>Whether the server's answer names exactly the quantities that were sent (metrics with 0 are not sent).</summary>
    public static bool SameQuantities(IReadOnlyDictionary<string, long> sent, IReadOnlyList<Usage.UsageProperty> answered)
    {
        var count = 0;
        foreach (var property in answered)
        {
            if (!sent.TryGetValue(property.BillableMetricId, out var quantity) || quantity != property.Quantity)
            {
                return false;
            }

            count++;
        }

        return count == sent.Count;
    }
}
