namespace Paygentic.Sdk.Metering;

/// <summary>
/// One unit of work to guard: whose it is, its stable id, and what it is expected to use. Every idempotency key the
/// guard sends derives from <see cref="OperationId"/> only, so a retry, replay or restart never charges twice.
/// </summary>
public sealed record MeteredOperation
{
    /// <summary>The customer who pays (<c>cus_…</c>).</summary>
    public required string CustomerId { get; init; }

    /// <summary>
    /// A stable id for this operation, given by you (e.g. a submission id) so a repeat of the same operation is
    /// recognised. When absent the guard generates one once, at authorization, and keeps it in the ticket.
    /// </summary>
    public string? OperationId { get; init; }

    /// <summary>
    /// Legacy: the expected units per billable metric (<c>bm_…</c> → units), used to size the reservation and as the
    /// default reported quantity. Standard: default values of the meter event's data properties.
    /// </summary>
    public IReadOnlyDictionary<string, long>? EstimatedQuantities { get; init; }

    /// <summary>Standard: the feature to check; defaults to <see cref="MeteringOptions.FeatureKey"/>.</summary>
    public string? FeatureKey { get; init; }

    /// <summary>Standard: the feature's product; defaults to <see cref="MeteringOptions.ProductId"/>.</summary>
    public string? ProductId { get; init; }

    /// <summary>The merchant; defaults to <see cref="PaygenticOptions.MerchantId"/>.</summary>
    public string? MerchantId { get; init; }

    /// <summary>String metadata sent with the report (legacy usage metadata; Standard: event data).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
