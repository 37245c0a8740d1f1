namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>What one adoption took over from instances whose lease had expired.</summary>
/// <param name="DeadInstanceIds">The expired instances, now unregistered (each adopted by exactly one survivor).</param>
/// <param name="Entries">Their open tickets and pending reports, now owned by the adopting instance.</param>
public sealed record OutboxAdoption(IReadOnlyList<string> DeadInstanceIds, IReadOnlyList<StoredEntry> Entries);
