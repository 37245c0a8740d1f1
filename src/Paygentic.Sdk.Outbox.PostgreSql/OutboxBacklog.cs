namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>Counts for monitoring the shared outbox (one query, the whole fleet).</summary>
/// <param name="OpenTickets">Entries in state authorized.</param>
/// <param name="PendingReports">Reports waiting for delivery (claimed or not).</param>
/// <param name="ClaimedReports">Pending reports under a live delivery claim.</param>
/// <param name="DeadLetters">Dead letters waiting for a person.</param>
/// <param name="OldestPendingAt">When the oldest pending report was written, or null when none waits.</param>
/// <param name="LiveInstances">Instances whose lease has not expired.</param>
public sealed record OutboxBacklog(
    long OpenTickets,
    long PendingReports,
    long ClaimedReports,
    long DeadLetters,
    DateTimeOffset? OldestPendingAt,
    long LiveInstances);
