using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering;

/// <summary>What the guard says about an operation id it finds in the outbox already.</summary>
internal static class EarlierOperations
{
    private static readonly Dictionary<string, long> NoQuantities = new(StringComparer.Ordinal);

    /// <summary>The receipt of the earlier operation's report, or null while it is only authorized (or a reservation row).</summary>
    public static MeteringReceipt? ReceiptOf(OutboxEntry? entry) => entry switch
    {
        { Report: null } or null => null,
        { State: OutboxEntryState.Pending } => new MeteringReceipt(entry.Ticket, entry.Report.Quantities, ReportState.Queued, entry.Report.IdempotencyKey),
        { State: OutboxEntryState.DeadLettered } => new MeteringReceipt(entry.Ticket, entry.Report.Quantities, ReportState.DeadLettered, entry.Report.IdempotencyKey),
        { State: OutboxEntryState.Delivered } => new MeteringReceipt(entry.Ticket, entry.Report.Quantities, entry.Outcome ?? ReportState.Delivered, entry.Report.IdempotencyKey),
        _ => null,
    };

    public static PaygenticOperationAlreadyMeteredException Refusal(string operationId, OutboxEntry? entry) =>
        new(operationId, entry?.State, ReceiptOf(entry));

    /// <summary>The receipt a caller gets instead of the exception (<see cref="ReusedOperationIdBehavior.ReturnEarlierReceipt"/>).</summary>
    public static MeteringReceipt AlreadyMetered(MeteringReceipt earlier) =>
        new(earlier.Ticket, earlier.Quantities, ReportState.AlreadyMetered, earlier.IdempotencyKey);

    /// <summary>What a delivered report leaves behind: the id, key, quantities and when, without metadata.</summary>
    public static OutboxEntry Tombstone(OutboxEntry delivered, ReportState outcome, DateTimeOffset now) => delivered with
    {
        State = OutboxEntryState.Delivered,
        Outcome = outcome,
        CreatedAt = now,
        LastError = null,
        Ticket = delivered.Ticket.Metadata is null ? delivered.Ticket : delivered.Ticket with { Metadata = null },
        Report = delivered.Report is { Metadata: not null } report ? report with { Metadata = null } : delivered.Report,
    };

    public static IReadOnlyDictionary<string, long> Empty => NoQuantities;
}
