namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Proof that an operation's report was delivered: kept for the retention period so a replayed or adopted operation
/// is recognised as already charged instead of being charged again.
/// </summary>
public sealed record StoredTombstone
{
    /// <summary>The operation id.</summary>
    public required string OperationId { get; init; }

    /// <summary>The idempotency key the delivered report carried.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The delivered quantities per metric or property: whole units, never floating point.</summary>
    public required IReadOnlyDictionary<string, long> Quantities { get; init; }

    /// <summary>When Paygentic acknowledged it.</summary>
    public required DateTimeOffset DeliveredAt { get; init; }
}
