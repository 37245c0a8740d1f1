using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paygentic.Sdk.WireBench;

/// <summary>
/// The floor's own wire types: what a hand-written client with source-generated JSON would declare for
/// <c>POST /v0/usage</c>. They carry the same fields as the SDK's, so both sides write and read the same bytes.
/// </summary>
internal sealed record FloorReport(string CustomerId, string MerchantId, string IdempotencyKey, DateTimeOffset Timestamp, IReadOnlyList<FloorProperty> Properties);

internal sealed record FloorProperty(string BillableMetricId, long Quantity);

internal sealed class FloorEvent
{
    public string? Id { get; set; }

    [JsonPropertyName("object")]
    public string? ObjectType { get; set; }

    public string? CustomerId { get; set; }

    public string? MerchantId { get; set; }

    public string? ConsumerId { get; set; }

    public string? SubscriptionId { get; set; }

    public string? EntitlementId { get; set; }

    public string? IdempotencyKey { get; set; }

    public string? Description { get; set; }

    public List<FloorProperty>? Properties { get; set; }

    public Dictionary<string, string>? Metadata { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FloorReport))]
[JsonSerializable(typeof(FloorEvent))]
internal sealed partial class FloorJsonContext : JsonSerializerContext
{
}
