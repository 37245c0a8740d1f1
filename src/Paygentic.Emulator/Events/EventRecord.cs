using System.Text.Json;

namespace Paygentic.Emulator.Events;

/// <summary>A meter event as received (after de-duplication by idempotency key).</summary>
internal sealed record EventRecord(
    string Id,
    string Type,
    string Source,
    string Subject,
    string Namespace,
    DateTimeOffset Timestamp,
    string IdempotencyKey,
    JsonElement Data,
    DateTimeOffset ReceivedAt);
