using System.Text.Json;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>
/// One row of the outbox, keyed by <see cref="OperationId"/>: a ticket (authorized), a report waiting for delivery
/// (pending) or a dead letter. Serialized with <see cref="ToJson"/> by outbox implementations.
/// </summary>
public sealed record OutboxEntry
{
    /// <summary>The operation id (the key).</summary>
    public required string OperationId { get; init; }

    /// <summary>Where it stands.</summary>
    public required OutboxEntryState State { get; init; }

    /// <summary>The authorization.</summary>
    public required MeteringTicket Ticket { get; init; }

    /// <summary>The report (null while only authorized).</summary>
    public PendingReport? Report { get; init; }

    /// <summary>When the row was written in its current state (completion time for reports).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a dead letter was requeued; replay age counts from here when set.</summary>
    public DateTimeOffset? RequeuedAt { get; init; }

    /// <summary>Delivery attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>The last delivery error.</summary>
    public string? LastError { get; init; }

    /// <summary>Why it was dead-lettered.</summary>
    public DeadLetterReason? DeadLetterReason { get; init; }

    /// <summary>When it was dead-lettered.</summary>
    public DateTimeOffset? DeadLetteredAt { get; init; }

    /// <summary>A delivered entry's outcome: <see cref="ReportState.Delivered"/> or <see cref="ReportState.Duplicate"/>.</summary>
    public ReportState? Outcome { get; init; }

    /// <summary>A reservation entry's maximum number of uses (its ticket holds the id, estimate and expiry).</summary>
    public int? ReservationUses { get; init; }

    /// <summary>The entry as JSON (source-generated, AOT-safe).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, MeteringJsonContext.Default.OutboxEntry);

    /// <summary>The entry as UTF-8 JSON: what a store keeps, without the UTF-16 string and its re-encoding.</summary>
    public byte[] ToJsonUtf8() => JsonSerializer.SerializeToUtf8Bytes(this, MeteringJsonContext.Default.OutboxEntry);

    /// <summary>Writes the entry as JSON to a writer: a store serializing into a reused buffer allocates no array per write.</summary>
    /// <param name="writer">Where the JSON goes.</param>
    public void WriteJsonTo(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, this, MeteringJsonContext.Default.OutboxEntry);

    /// <summary>Reads an entry written by <see cref="ToJsonUtf8"/> (or <see cref="ToJson"/>, as UTF-8).</summary>
    /// <param name="utf8Json">The JSON bytes.</param>
    /// <exception cref="JsonException">The bytes are not an outbox entry.</exception>
    public static OutboxEntry FromJson(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, MeteringJsonContext.Default.OutboxEntry)
            ?? throw new JsonException("The JSON is null, not an outbox entry.");

    /// <summary>Reads an entry written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="JsonException">The text is not an outbox entry.</exception>
    public static OutboxEntry FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, MeteringJsonContext.Default.OutboxEntry)
            ?? throw new JsonException("The JSON is null, not an outbox entry.");
    }
}
