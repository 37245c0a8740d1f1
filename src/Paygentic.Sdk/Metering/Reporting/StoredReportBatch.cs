using System.Text.Json;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// A usage batch body (<c>{"events":[…]}</c>) written straight from stored reports: the same bytes the source-generated
/// serializer writes for the public <c>UsageReport</c> objects the reports map to (<see cref="ReportMapping"/>), without
/// making those objects (three per report) only to serialize them. Checked as the usage client checks a report before it
/// is sent; a report that fails the check throws before anything is sent.
/// </summary>
internal static class StoredReportBatch
{
    // About what one report takes in the body: sizes the first buffer, no more.
    private const int ReportSizeHint = 320;

    private static readonly JsonEncodedText Events = JsonEncodedText.Encode("events");
    private static readonly JsonEncodedText CustomerId = JsonEncodedText.Encode("customerId");
    private static readonly JsonEncodedText MerchantId = JsonEncodedText.Encode("merchantId");
    private static readonly JsonEncodedText IdempotencyKey = JsonEncodedText.Encode("idempotencyKey");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText Properties = JsonEncodedText.Encode("properties");
    private static readonly JsonEncodedText BillableMetricId = JsonEncodedText.Encode("billableMetricId");
    private static readonly JsonEncodedText Quantity = JsonEncodedText.Encode("quantity");
    private static readonly JsonEncodedText EntitlementId = JsonEncodedText.Encode("entitlementId");
    private static readonly JsonEncodedText Metadata = JsonEncodedText.Encode("metadata");

    /// <summary>Writes the batch; <paramref name="defaultMerchant"/> is filled in for a report without a merchant.</summary>
    /// <exception cref="ArgumentException">A report has no merchant and there is no default, or a quantity below 1.</exception>
    public static PooledJsonContent Write(IReadOnlyList<ReportItem> items, string? defaultMerchant) =>
        PooledJsonContent.Write((Items: items, Merchant: defaultMerchant), static (json, batch) => WriteBody(json, batch.Items, batch.Merchant), PaygenticJsonContext.Default.Options, items.Count * ReportSizeHint);

    private static void WriteBody(Utf8JsonWriter json, IReadOnlyList<ReportItem> items, string? defaultMerchant)
    {
        json.WriteStartObject();
        json.WriteStartArray(Events);
        for (var i = 0; i < items.Count; i++)
        {
            WriteReport(json, items[i].Entry.Report!, defaultMerchant, i);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    // In the order UsageReport declares its properties, nulls left out: the serializer's own layout for it.
    private static void WriteReport(Utf8JsonWriter json, PendingReport report, string? defaultMerchant, int index)
    {
        // A field's name is built only when its check fails: a batch of valid reports costs no strings.
        if (string.IsNullOrWhiteSpace(report.CustomerId))
        {
            Guard.NotBlank(report.CustomerId, $"reports[{index}].CustomerId");
        }

        var merchant = !string.IsNullOrWhiteSpace(report.MerchantId) ? report.MerchantId
            : !string.IsNullOrWhiteSpace(defaultMerchant) ? defaultMerchant
            : Guard.Merchant(report.MerchantId, defaultMerchant, $"reports[{index}].MerchantId");
        json.WriteStartObject();
        json.WriteString(CustomerId, report.CustomerId);
        json.WriteString(MerchantId, merchant);
        json.WriteString(IdempotencyKey, report.IdempotencyKey);
        json.WriteString(Timestamp, report.Timestamp);
        WriteProperties(json, report.Quantities, index);
        if (report.EntitlementId is { } entitlement)
        {
            json.WriteString(EntitlementId, entitlement);
        }

        if (report.Metadata is { } metadata)
        {
            json.WriteStartObject(Metadata);
            foreach (var (key, value) in new MapEntries<string>(metadata))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    // In ordinal metric order, as ReportMapping orders them; most reports carry one metric and sort nothing.
    private static void WriteProperties(Utf8JsonWriter json, IReadOnlyDictionary<string, long> quantities, int index)
    {
        if (quantities.Count == 0)
        {
            throw new ArgumentException($"reports[{index}].Properties must contain at least one metric quantity.", nameof(quantities));
        }

        json.WriteStartArray(Properties);
        if (quantities.Count == 1)
        {
            foreach (var (metric, quantity) in new MapEntries<long>(quantities))
            {
                WriteProperty(json, metric, quantity, index);
            }
        }
        else
        {
            var metrics = new string[quantities.Count];
            var i = 0;
            foreach (var (metric, _) in new MapEntries<long>(quantities))
            {
                metrics[i++] = metric;
            }

            Array.Sort(metrics, StringComparer.Ordinal);
            foreach (var metric in metrics)
            {
                WriteProperty(json, metric, quantities[metric], index);
            }
        }

        json.WriteEndArray();
    }

    private static void WriteProperty(Utf8JsonWriter json, string metric, long quantity, int index)
    {
        if (string.IsNullOrWhiteSpace(metric))
        {
            Guard.NotBlank(metric, $"reports[{index}].Properties.BillableMetricId");
        }

        if (quantity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"reports[{index}].Properties[{metric}].Quantity must be a whole number of at least 1 (was {quantity}).");
        }

        json.WriteStartObject();
        json.WriteString(BillableMetricId, metric);
        json.WriteNumber(Quantity, quantity);
        json.WriteEndObject();
    }
}
