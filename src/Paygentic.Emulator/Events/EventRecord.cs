using System.Text.Json;

namespace Paygentic.Emulator.Events;

/// <summary>
/// A meter event as received (after de-duplication by idempotency key). <see cref="Subject"/> is the resolved
/// customer id: null when the event named only an <see cref="ExternalSubject"/> that matched no customer.
/// </summary>
internal sealed record EventRecord(
    string Id,
    string Type,
    string Source,
    string? Subject,
    string Namespace,
    DateTimeOffset Timestamp,
    string IdempotencyKey,
    JsonElement Data,
    DateTimeOffset ReceivedAt,
    string? ExternalSubject = null,
    string? ExternalId = null);
