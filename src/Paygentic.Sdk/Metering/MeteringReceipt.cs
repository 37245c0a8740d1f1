namespace Paygentic.Sdk.Metering;

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
