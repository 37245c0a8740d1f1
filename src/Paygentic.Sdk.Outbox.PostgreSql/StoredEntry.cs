namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>One row of the entries table: a ticket, a pending report or a dead letter, keyed by operation id.</summary>
public sealed record StoredEntry
{
    /// <summary>The operation id (the primary key).</summary>
    public required string OperationId { get; init; }

    /// <summary>Where it stands.</summary>
    public required StoredEntryState State { get; init; }

    /// <summary>
    /// The entry as JSON, stored in a <c>json</c> column: PostgreSQL validates it and keeps the text exactly as
    /// written (unlike <c>jsonb</c>, which reorders keys), so what is read back is byte for byte what was written.
    /// </summary>
    public required string PayloadJson { get; init; }

    /// <summary>The instance that owns it (wrote it or adopted it). Set by the store on writes.</summary>
    public string OwnerInstanceId { get; init; } = "";

    /// <summary>The instance holding a delivery claim on it, or null.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>When that claim lapses (database clock), or null.</summary>
    public DateTimeOffset? ClaimedUntil { get; init; }

    /// <summary>When it was first written (the writer's <see cref="TimeProvider"/>). Set by the store.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last written (the writer's <see cref="TimeProvider"/>). Set by the store.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
