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

/// <summary>Where a completed operation's usage report stands.</summary>
public enum ReportState
{
    /// <summary>Nothing was reported (all quantities were zero, or the operation was cancelled).</summary>
    None = 0,

    /// <summary>Paygentic accepted the report.</summary>
    Delivered = 1,

    /// <summary>The report is in the outbox and will be delivered in the background with the same idempotency key.</summary>
    Queued = 2,

    /// <summary>Paygentic refused the report permanently; it is in the dead-letter list (see <see cref="Reporting.IUsageReporter"/>).</summary>
    DeadLettered = 3,

    /// <summary>
    /// Paygentic already had a report under this idempotency key, with other quantities: these quantities were
    /// <b>not</b> billed (the earlier ones were). The operation id was used for other work before.
    /// </summary>
    Duplicate = 4,

    /// <summary>
    /// This call did not run the work: the operation id was metered before (see
    /// <see cref="MeteringOptions.ReusedOperationId"/>). The receipt describes the earlier report.
    /// </summary>
    AlreadyMetered = 5,
}

/// <summary>The outcome of <see cref="IMeteringGuard.CompleteAsync"/>: what was reported and where the report stands.</summary>
public sealed class MeteringReceipt
{
    /// <summary>Creates a receipt.</summary>
    /// <param name="ticket">The completed authorization.</param>
    /// <param name="quantities">What was reported.</param>
    /// <param name="state">Where the report stands.</param>
    /// <param name="idempotencyKey">The report's key (null when nothing was reported).</param>
    public MeteringReceipt(MeteringTicket ticket, IReadOnlyDictionary<string, long> quantities, ReportState state, string? idempotencyKey)
    {
        Ticket = ticket ?? throw new ArgumentNullException(nameof(ticket));
        Quantities = quantities ?? throw new ArgumentNullException(nameof(quantities));
        State = state;
        IdempotencyKey = idempotencyKey;
    }

    /// <summary>The authorization that was completed.</summary>
    public MeteringTicket Ticket { get; }

    /// <summary>The quantities reported (empty when nothing was).</summary>
    public IReadOnlyDictionary<string, long> Quantities { get; }

    /// <summary>Where the report stands.</summary>
    public ReportState State { get; }

    /// <summary>The report's idempotency key, derived from the operation id.</summary>
    public string? IdempotencyKey { get; }
}

/// <summary>The outcome of <see cref="IMeteringGuard.RunAsync{T}"/>: the work's value and what it was charged.</summary>
/// <typeparam name="T">The work's result type.</typeparam>
public sealed class MeteredResult<T>
{
    /// <summary>Creates a result.</summary>
    /// <param name="value">What the work returned.</param>
    /// <param name="receipt">What was reported.</param>
    public MeteredResult(T value, MeteringReceipt receipt)
    {
        Value = value;
        Receipt = receipt ?? throw new ArgumentNullException(nameof(receipt));
    }

    /// <summary>What the work returned.</summary>
    public T Value { get; }

    /// <summary>The report's details.</summary>
    public MeteringReceipt Receipt { get; }

    /// <summary>The operation id (given or generated).</summary>
    public string OperationId => Receipt.Ticket.OperationId;

    /// <summary>The reservation (legacy) or entitlement (standard) that authorized the work.</summary>
    public string? AuthorizationId => Receipt.Ticket.AuthorizationId;

    /// <summary>The quantities reported.</summary>
    public IReadOnlyDictionary<string, long> Quantities => Receipt.Quantities;

    /// <summary>Where the report stands.</summary>
    public ReportState ReportState => Receipt.State;
}
