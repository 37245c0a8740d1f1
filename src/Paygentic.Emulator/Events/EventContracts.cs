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
}

/// <summary>The spec's <c>EventResponse</c> (202).</summary>
internal sealed record EventResponseBody(
    string Id,
    string Object,
    string Type,
    string Source,
    string Subject,
    string Namespace,
    DateTimeOffset Timestamp,
    string IdempotencyKey);
