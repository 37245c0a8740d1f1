using Microsoft.Extensions.Logging;

namespace CodeRunner.Server.Execution;

/// <summary>The server's structured log lines (ids and numbers only: never a token, key or user code).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Submission {Token} finished: status {StatusId}, {CpuMs} CPU ms, charged {ChargeNanos} nanodollars")]
    public static partial void Finished(ILogger logger, string token, int statusId, long cpuMs, long chargeNanos);

    [LoggerMessage(2, LogLevel.Warning, "Submission {Token} expired in the queue and was cancelled (not charged)")]
    public static partial void Expired(ILogger logger, string token);

    [LoggerMessage(3, LogLevel.Error, "Submission {Token} could not be processed: {ErrorType}")]
    public static partial void Failed(ILogger logger, string token, string errorType);

    [LoggerMessage(4, LogLevel.Information, "Recovery: {Requeued} submission(s) requeued, {Settled} settled, {Deleted} deletion(s) finished")]
    public static partial void Recovered(ILogger logger, int requeued, int settled, int deleted);

    [LoggerMessage(5, LogLevel.Information, "Account {AccountId} signed up (customer {CustomerId}, subscription {SubscriptionId})")]
    public static partial void SignedUp(ILogger logger, string accountId, string customerId, string subscriptionId);

    [LoggerMessage(6, LogLevel.Information, "A submission of account {AccountId} was refused for payment: {Code}")]
    public static partial void Refused(ILogger logger, string accountId, string code);
}
