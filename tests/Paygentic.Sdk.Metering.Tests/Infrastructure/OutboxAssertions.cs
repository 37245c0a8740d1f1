using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering.Tests.Infrastructure;

public static class OutboxAssertions
{
    private static readonly OutboxEntryState[] Undelivered = [OutboxEntryState.Authorized, OutboxEntryState.Pending, OutboxEntryState.DeadLettered];

    /// <summary>Open tickets, pending reports and dead letters: what delivery has not finished (tombstones and reservations aside).</summary>
    public static async Task<int> UndeliveredCountAsync(this IUsageOutbox outbox)
    {
        var count = 0;
        foreach (var state in Undelivered)
        {
            count += (await outbox.LoadAsync(state, CancellationToken.None)).Count;
        }

        return count;
    }
}
