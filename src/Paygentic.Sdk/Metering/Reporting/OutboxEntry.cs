using System.Text.Json;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>Where an outbox entry stands.</summary>
public enum OutboxEntryState
{
    /// <summary>Authorized, work not yet completed or cancelled (a ticket).</summary>
    Authorized = 0,

    /// <summary>Completed: a report waits for delivery.</summary>
    Pending = 1,

    /// <summary>Refused permanently or too old to replay: kept for a person to requeue or discard.</summary>
    DeadLettered = 2,

    /// <summary>
    /// Delivered: a tombstone kept for <see cref="MeteringOptions.TombstoneRetention"/>, so the operation id cannot be
    /// charged (or its work run) again.
    /// </summary>
    Delivered = 3,

    /// <summary>A pooled reservation (id, uses, expiry) that a later process reuses until it runs out or expires.</summary>
    Reservation = 4,
}

/// <summary>Why a report was dead-lettered.</summary>
public enum DeadLetterReason
{
    /// <summary>Paygentic refused the report permanently (a 4xx other than 408/429, or a permanent batch-item error).</summary>
    Rejected = 0,

    /// <summary>Refused because the customer cannot pay (<c>INSUFFICIENT_FUNDS</c>): the work ran but is unpaid.</summary>
    Unpaid = 1,

    /// <summary>Not acknowledged within <see cref="MeteringOptions.MaxReplayAge"/>; replaying could charge twice.</summary>
    ReplayWindowExpired = 2,
}

/// <summary>
/// Everything needed to rebuild a report's request byte for byte on any later attempt: the idempotency key is fixed
/// here, derived from the operation id only.
/// </summary>
public sealed record PendingReport
{
    /// <summary>Legacy usage or Standard meter event.</summary>
    public required MeteringStrategy Strategy { get; init; }

    /// <summary>The deduplication key, e.g. <c>{operationId}:usage</c>.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The customer.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The merchant (null: the client's configured one).</summary>
    public string? MerchantId { get; init; }

    /// <summary>When the usage happened (completion time).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Units per billable metric (legacy) or per event data property (standard); every value ≥ 1 for legacy.</summary>
    public required IReadOnlyDictionary<string, long> Quantities { get; init; }

    /// <summary>Legacy: the reservation to draw on.</summary>
    public string? EntitlementId { get; init; }

    /// <summary>Metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Standard: the event type.</summary>
    public string? EventType { get; init; }

    /// <summary>Standard: the event source.</summary>
    public string? EventSource { get; init; }
}

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
