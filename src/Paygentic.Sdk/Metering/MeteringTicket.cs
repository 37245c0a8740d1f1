using System.Text.Json;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// A granted authorization, the first phase of a guarded operation. It is serializable (<see cref="ToJson"/>,
/// <see cref="FromJson"/>) and recorded in the outbox, so the operation can be completed or cancelled later,
/// possibly by another process, and is recovered if the process dies first.
/// </summary>
public sealed record MeteringTicket
{
    /// <summary>The operation's stable id; every idempotency key derives from it.</summary>
    public required string OperationId { get; init; }

    /// <summary>The customer.</summary>
    public required string CustomerId { get; init; }

    /// <summary>The merchant (null: the client's configured one).</summary>
    public string? MerchantId { get; init; }

    /// <summary>How it was authorized and will be reported.</summary>
    public required MeteringStrategy Strategy { get; init; }

    /// <summary>Legacy: the reservation (<c>com_…</c>) the report draws on. Standard: the entitlement that granted access.</summary>
    public string? AuthorizationId { get; init; }

    /// <summary>Legacy: when the reservation's hold ends.</summary>
    public DateTimeOffset? AuthorizationExpiresAt { get; init; }

    /// <summary>Legacy: whether the reservation is shared by several operations (a pool).</summary>
    public bool Pooled { get; init; }

    /// <summary>The estimated quantities (metric or data property → units).</summary>
    public IReadOnlyDictionary<string, long> Estimate { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, long>.Empty;

    /// <summary>Standard: the feature key checked.</summary>
    public string? FeatureKey { get; init; }

    /// <summary>Standard: the feature's product.</summary>
    public string? ProductId { get; init; }

    /// <summary>The operation's metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>When authorization was granted.</summary>
    public required DateTimeOffset AuthorizedAt { get; init; }

    /// <summary>The guard instance (process) that issued it; used to tell unfinished tickets of a dead process apart.</summary>
    public string? IssuerId { get; init; }

    /// <summary>The ticket as JSON (source-generated, AOT-safe).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, MeteringJsonContext.Default.MeteringTicket);

    /// <summary>Reads a ticket written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <exception cref="JsonException">The text is not a ticket.</exception>
    public static MeteringTicket FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, MeteringJsonContext.Default.MeteringTicket)
            ?? throw new JsonException("The JSON is null, not a metering ticket.");
    }
}
