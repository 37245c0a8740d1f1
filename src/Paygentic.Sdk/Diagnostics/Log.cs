using Microsoft.Extensions.Logging;

namespace Paygentic.Sdk.Diagnostics;

/// <summary>
/// Source-generated log messages. They name method, path, status, attempt and duration — never a body, a header
/// or the API key, since bodies can hold customer data and headers hold the secret.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Paygentic {Method} {Path} -> {Status} (attempt {Attempt}, {DurationMs} ms)")]
    public static partial void AttemptCompleted(ILogger logger, string method, string path, int status, int attempt, long durationMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Paygentic {Method} {Path} attempt {Attempt} failed ({Outcome}); retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string method, string path, int attempt, string outcome, long delayMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Paygentic {Method} {Path} attempt {Attempt} failed: {Error} after {DurationMs} ms")]
    public static partial void AttemptFailed(ILogger logger, string method, string path, int attempt, string error, long durationMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Paygentic circuit opened for {BreakMs} ms after repeated failures")]
    public static partial void CircuitOpened(ILogger logger, long breakMs);
}
