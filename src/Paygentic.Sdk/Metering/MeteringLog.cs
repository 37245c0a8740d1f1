using Microsoft.Extensions.Logging;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// The guard's source-generated log lines. They carry ids, counts, codes and exception type names; never an API
/// key, a body or metadata values.
/// </summary>
internal static partial class MeteringLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Operation {OperationId} of customer {CustomerId} denied: {Reason}")]
    public static partial void Denied(ILogger logger, string operationId, string customerId, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Reservation for customer {CustomerId} failed without an answer ({Error}); funds may be held until the hold expires")]
    public static partial void PossibleOrphanHold(ILogger logger, string customerId, string error);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "The next pooled reservation for customer {CustomerId} could not be made ahead ({Error}); the operation that finds the pool empty reserves instead")]
    public static partial void RefillAheadFailed(ILogger logger, string customerId, string error);

    [LoggerMessage(EventId = 114, Level = LogLevel.Debug, Message = "Pooled reservations for customer {CustomerId} are now made for {Uses} uses, following the demand")]
    public static partial void PoolResized(ILogger logger, string customerId, int uses);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Operation {OperationId} work failed ({Error}); policy {Policy}")]
    public static partial void WorkFailed(ILogger logger, string operationId, string error, FailurePolicy policy);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Report {OperationId} delivery failed ({Error}), attempt {Attempt}; next try in {DelayMs} ms")]
    public static partial void DeliveryFailed(ILogger logger, string operationId, string error, int attempt, long delayMs);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Report {OperationId} of customer {CustomerId} dead-lettered ({Reason}): {Error}")]
    public static partial void DeadLettered(ILogger logger, string operationId, string customerId, Reporting.DeadLetterReason reason, string error);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Outbox loaded: {Pending} pending, {Unfinished} unfinished, {DeadLetters} dead letters")]
    public static partial void Loaded(ILogger logger, int pending, int unfinished, int deadLetters);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "Unfinished operation {OperationId} of customer {CustomerId} from an earlier process: {Action}")]
    public static partial void Recovered(ILogger logger, string operationId, string customerId, string action);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Shutdown left {Pending} reports in the outbox for the next start")]
    public static partial void LeftPending(ILogger logger, int pending);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "Outbox write for {OperationId} failed ({Error}); the report is kept in memory only")]
    public static partial void OutboxWriteFailed(ILogger logger, string operationId, string error);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "Reporter loop failed ({Error}); continuing")]
    public static partial void LoopFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Cancelling operation {OperationId} failed ({Error})")]
    public static partial void CancelFailed(ILogger logger, string operationId, string error);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Report of operation {OperationId} was a duplicate: key {IdempotencyKey} was charged before with other quantities, so these were not billed")]
    public static partial void DuplicateReport(ILogger logger, string operationId, string idempotencyKey);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Adopted {Count} tickets and reports of replicas whose lease expired")]
    public static partial void Adopted(ILogger logger, int count);
}
