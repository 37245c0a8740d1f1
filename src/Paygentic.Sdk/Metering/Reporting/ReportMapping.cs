using System.Text.Json.Nodes;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>A stored report as the request it becomes: byte for byte the same on every attempt.</summary>
internal static class ReportMapping
{
    /// <summary>The public report a stored one is sent as; a report without a merchant gets the client's (the usage client fills it).</summary>
    public static UsageReport ToUsageReport(OutboxEntry entry)
    {
        var report = entry.Report!;
        return new UsageReport
        {
            CustomerId = report.CustomerId,
            MerchantId = string.IsNullOrWhiteSpace(report.MerchantId) ? null : report.MerchantId,
            IdempotencyKey = report.IdempotencyKey,
            Timestamp = report.Timestamp,
            Properties = ToProperties(report.Quantities),
            EntitlementId = report.EntitlementId,
            Metadata = report.Metadata,
        };
    }

    public static MeterEvent ToMeterEvent(OutboxEntry entry)
    {
        var report = entry.Report!;
        var data = new JsonObject { ["operationId"] = entry.OperationId };
        foreach (var (key, value) in report.Quantities.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            data[key] = value;
        }

        if (report.Metadata is { Count: > 0 } metadata)
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                meta[key] = value;
            }

            data["metadata"] = meta;
        }

        return new MeterEvent
        {
            Type = report.EventType!,
            Source = report.EventSource ?? MeteringOptions.DefaultEventSource,
            Subject = report.CustomerId,
            Data = data,
            Namespace = report.MerchantId,
            Timestamp = report.Timestamp,
            IdempotencyKey = report.IdempotencyKey,
        };
    }

    public static string Describe(Exception e) => e switch
    {
        PaygenticApiException api => $"{(int)api.StatusCode} {api.Code ?? api.ErrorType}: {api.ApiMessage}".Trim(),
        _ => e.GetType().Name,
    };

    /// <summary>
    /// The quantities as properties in ordinal key order (a stable body, whatever the dictionary's order). Most reports
    /// carry one metric; a LINQ OrderBy per report was a visible share of the reporter's CPU, so sort only when needed.
    /// </summary>
    private static UsageProperty[] ToProperties(IReadOnlyDictionary<string, long> quantities)
    {
        var properties = new UsageProperty[quantities.Count];
        var i = 0;
        foreach (var (key, value) in new MapEntries<long>(quantities))
        {
            properties[i++] = new UsageProperty { BillableMetricId = key, Quantity = value };
        }

        if (properties.Length > 1)
        {
            Array.Sort(properties, static (a, b) => string.CompareOrdinal(a.BillableMetricId, b.BillableMetricId));
        }

        return properties;
    }
}
