using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// Stores a completed report before anything sends it. A report the outbox refused is never sent from memory only: the
/// write is tried once more, and a second failure is the caller's (its ticket stays open, for the next start or for the
/// caller that stores it).
/// </summary>
internal static class DurableReportWrite
{
    /// <summary>Writes the report, trying once more after a failure; throws <see cref="UsageOutboxException"/> when both attempts fail.</summary>
    public static async Task WriteAsync(IUsageOutbox outbox, OutboxEntry entry, ILogger logger)
    {
        try
        {
            await outbox.UpsertAsync([entry], CancellationToken.None).ConfigureAwait(false);
            return;
        }
#pragma warning disable CA1031 // one retry of a transient storage failure; the second failure is the caller's
        catch (Exception e)
#pragma warning restore CA1031
        {
            MeteringLog.OutboxWriteFailed(logger, entry.OperationId, e.GetType().Name);
        }

        try
        {
            await outbox.UpsertAsync([entry], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not UsageOutboxException)
        {
            throw new UsageOutboxException($"The usage report of operation '{entry.OperationId}' could not be stored, so it was not sent; its ticket stays open: completing it again retries, else the next start recovers it (a ticket its caller stores stays the caller's to complete or cancel).", e);
        }
    }
}
