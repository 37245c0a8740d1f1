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

    /// <summary>
    /// The customer id (<c>cus_…</c>). Give it, or <see cref="ExternalSubject"/>, or both (then it wins). The
    /// 2026-04-18 API requires it; only the 2026-08-06 API takes an event with <see cref="ExternalSubject"/> alone.
    /// </summary>
    public string? Subject { get; init; }

    /// <summary>
    /// The merchant's own id of the customer (the customer's <c>externalId</c>: letters, digits, <c>-</c>, <c>_</c>,
    /// at most 255), for when the <c>cus_</c> id is not known; the API links such events to the customer later.
    /// </summary>
    public string? ExternalSubject { get; init; }

    /// <summary>A cross-reference id of the merchant's own (same format as <see cref="ExternalSubject"/>).</summary>
    public string? ExternalId { get; init; }

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

    /// <summary>The resolved customer id; absent while an <see cref="ExternalSubject"/> matches no customer yet.</summary>
    public string? Subject { get; init; }

    /// <summary>The merchant's own customer id the event was sent with (newer API versions).</summary>
    public string? ExternalSubject { get; init; }

    /// <summary>The merchant's cross-reference id (newer API versions).</summary>
    public string? ExternalId { get; init; }

    /// <summary>The namespace.</summary>
    public string? Namespace { get; init; }

    /// <summary>The timestamp.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The deduplication key.</summary>
    public string? IdempotencyKey { get; init; }
}
