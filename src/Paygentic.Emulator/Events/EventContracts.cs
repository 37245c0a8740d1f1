using System.Text.Json;

namespace Paygentic.Emulator.Events;

/// <summary><c>POST /v0/events</c> request.</summary>
internal sealed class IngestEventRequest
{
    public string? Type { get; init; }

    public string? Source { get; init; }

    public string? Subject { get; init; }

    public string? Namespace { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public string? IdempotencyKey { get; init; }

    public JsonElement? Data { get; init; }

    /// <summary>The merchant's own customer id (a customer's <c>externalId</c>); 2026-08-06 accepts it instead of <c>subject</c>.</summary>
    public string? ExternalSubject { get; init; }

    /// <summary>A cross-reference id of the merchant's own (2026-08-06).</summary>
    public string? ExternalId { get; init; }
}

/// <summary>The spec's <c>EventResponse</c> (202); <c>subject</c> is absent while an external subject is unresolved.</summary>
internal sealed record EventResponseBody(
    string Id,
    string Object,
    string Type,
    string Source,
    string? Subject,
    string Namespace,
    DateTimeOffset Timestamp,
    string IdempotencyKey,
    string? ExternalSubject,
    string? ExternalId);
