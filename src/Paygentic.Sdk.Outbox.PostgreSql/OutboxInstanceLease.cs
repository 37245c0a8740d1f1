namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>A registered instance (one replica's guard) and its lease, as the database clock sees it.</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="LeaseExpiresAt">When its lease lapses unless renewed; after that, survivors may adopt its work.</param>
/// <param name="HeartbeatAt">When it last registered or renewed.</param>
public sealed record OutboxInstanceLease(string InstanceId, DateTimeOffset LeaseExpiresAt, DateTimeOffset HeartbeatAt);
