using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk;

/// <summary>
/// The metering guard refused an operation id it has seen before: an open ticket, a report waiting for delivery, a
/// dead letter, or a delivered report's tombstone (kept for <see cref="MeteringOptions.TombstoneRetention"/>). The work
/// did not run and nothing new was reserved or charged. Give each unit of work its own operation id.
/// </summary>
public class PaygenticOperationAlreadyMeteredException : PaygenticException
{
    /// <summary>Creates the exception.</summary>
    public PaygenticOperationAlreadyMeteredException()
        : this(string.Empty, null, null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PaygenticOperationAlreadyMeteredException(string message)
        : base(message)
    {
        OperationId = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PaygenticOperationAlreadyMeteredException(string message, Exception? innerException)
        : base(message, innerException)
    {
        OperationId = string.Empty;
    }

    /// <summary>Creates the exception for an operation id found in the outbox.</summary>
    /// <param name="operationId">The reused id.</param>
    /// <param name="earlierState">Where the earlier operation stands in the outbox (null: authorized concurrently).</param>
    /// <param name="earlierReceipt">The earlier report's receipt (null while the earlier operation is still open).</param>
    public PaygenticOperationAlreadyMeteredException(string operationId, OutboxEntryState? earlierState, MeteringReceipt? earlierReceipt)
        : base($"Operation '{operationId}' was metered before ({(earlierState?.ToString() ?? "authorized concurrently").ToLowerInvariant()}); the work did not run. Give each unit of work its own operation id.")
    {
        OperationId = operationId;
        EarlierState = earlierState;
        EarlierReceipt = earlierReceipt;
    }

    /// <summary>The reused operation id.</summary>
    public string OperationId { get; }

    /// <summary>Where the earlier operation stands in the outbox (null when it was authorized concurrently).</summary>
    public OutboxEntryState? EarlierState { get; }

    /// <summary>
    /// What the earlier operation reported, and where that report stands (<see cref="ReportState.Delivered"/>,
    /// <see cref="ReportState.Duplicate"/>, <see cref="ReportState.Queued"/> or <see cref="ReportState.DeadLettered"/>);
    /// null while it is only authorized.
    /// </summary>
    public MeteringReceipt? EarlierReceipt { get; }
}
