using System.Text.Json.Serialization;
using System.Text.Json.Nodes;

namespace Paygentic.Sdk.Events;

/// <summary>
/// A meter event for <c>POST /v0/events</c> (standard billing). It is routed to billable metrics by
/// <see cref="Type"/> (= a metric's <c>eventType</c>); <see cref="Data"/> carries the values the metrics read.
/// </summary>
public sealed record MeterEvent
{
    /// <summary>The event type; must equal some billable metric's <c>eventType</c>.</summary>
    public required string Type { get; init; }

    /// <summary>A URI naming the sending application.</summary>
    public required string Source { get; init; }

    /// <summary>The customer id (<c>cus_…</c>).</summary>
    public required string Subject { get; init; }

    /// <summary>The event's values, read by the metrics' JSONPaths.</summary>
    public required JsonObject Data { get; init; }

    /// <summary>The merchant organisation; defaults to the key's.</summary>
    public string? Namespace { get; init; }

    /// <summary>When it happened; defaults to now.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The deduplication key; derived from the content when absent (fixed before the first attempt).</summary>
    public string? IdempotencyKey { get; init; }
}

/// <summary>The server's acknowledgement (202) of an ingested event.</summary>
public sealed record EventReceipt
{
    /// <summary>The event id.</summary>
    public string? Id { get; init; }

    /// <summary>Always <c>event</c>.</summary>
    [JsonPropertyName("object")]
    public string? ObjectType { get; init; }

    /// <summary>The event type.</summary>
    public string? Type { get; init; }

    /// <summary>The source.</summary>
    public string? Source { get; init; }

    /// <summary>The subject.</summary>
    public string? Subject { get; init; }

    /// <summary>The namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>The timestamp.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The deduplication key.</summary>
    public string? IdempotencyKey { get; init; }
}
