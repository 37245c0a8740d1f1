using System.Text.Json;

namespace Paygentic.Emulator.Admin;

/// <summary><c>GET /_emulator/health</c>, with the process's memory for the benchmarks.</summary>
internal sealed record HealthBody(string Status, IReadOnlyList<string> Merchants, DateTimeOffset Time, long WorkingSetBytes, long ManagedHeapBytes);

/// <summary>A plain acknowledgement, e.g. of <c>POST /_emulator/reset</c>.</summary>
internal sealed record StatusBody(string Status);

/// <summary><c>GET /_emulator/events/{customerId}</c>: events received for a subject, de-duplicated.</summary>
internal sealed record EventLogBody(string CustomerId, int Count, IReadOnlyList<EventLogItem> Events);

/// <summary>One received event.</summary>
internal sealed record EventLogItem(
    string Id,
    string Type,
    string Source,
    string Subject,
    string Namespace,
    DateTimeOffset Timestamp,
    string IdempotencyKey,
    JsonElement Data,
    DateTimeOffset ReceivedAt);
