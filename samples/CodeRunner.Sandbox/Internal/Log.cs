using Microsoft.Extensions.Logging;

namespace CodeRunner.Sandbox.Internal;

/// <summary>The sandbox's log messages (source-generated).</summary>
internal static partial class Log
{
    public static void CleanupFailed(ILogger? logger, string directory, string reason)
    {
        if (logger is not null)
        {
            CleanupFailedCore(logger, directory, reason);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "A job directory could not be removed: {Directory}: {Reason}")]
    private static partial void CleanupFailedCore(ILogger logger, string directory, string reason);
}
