namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>Settings of the PostgreSQL outbox store.</summary>
public sealed class PostgreSqlOutboxOptions
{
    /// <summary>The default schema name.</summary>
    public const string DefaultSchema = "paygentic_outbox";

    /// <summary>
    /// The schema holding the outbox tables (created when absent). Lower-case letters, digits and underscores, starting
    /// with a letter or underscore, at most 63 characters and not starting with <c>pg_</c>. Default
    /// <c>paygentic_outbox</c>. Replicas that share work must use the same schema.
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// This replica's id, unique in the fleet and new for each process start (a restarted process is a new instance:
    /// its predecessor's work is adopted once the old lease expires). Default: a fresh random id.
    /// </summary>
    public string InstanceId { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// How long a lease lasts after each renewal. Survivors adopt an instance's work only after this much silence, so
    /// it bounds how long a dead replica's work waits and must comfortably exceed the renewal interval plus a
    /// database hiccup. Default 30 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a delivery claim holds before the rows return to the pool for any live replica (the claimer died or
    /// hung mid-delivery). Must exceed one delivery attempt. Default 60 seconds.
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long tombstones of delivered reports are kept before <c>PurgeAsync</c> deletes them. Default 7 days.</summary>
    public TimeSpan TombstoneRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most writes sent together in one batch (group commit). Default 256.</summary>
    public int MaxWritesPerBatch { get; set; } = 256;

    /// <summary>What the guard does with new work while PostgreSQL is down. Default <see cref="PostgreSqlUnavailableBehavior.RefuseNewWork"/>.</summary>
    public PostgreSqlUnavailableBehavior WhenUnavailable { get; set; } = PostgreSqlUnavailableBehavior.RefuseNewWork;

    /// <summary>Checks the settings; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        SchemaName.Validate(Schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(InstanceId);
        if (InstanceId.Length > 200)
        {
            throw new ArgumentException("InstanceId must be at most 200 characters.", nameof(InstanceId));
        }

        RequirePositive(LeaseDuration, nameof(LeaseDuration));
        RequirePositive(ClaimTimeout, nameof(ClaimTimeout));
        RequirePositive(TombstoneRetention, nameof(TombstoneRetention));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWritesPerBatch, 1, nameof(MaxWritesPerBatch));
        if (!Enum.IsDefined(WhenUnavailable))
        {
            throw new ArgumentException("WhenUnavailable is not a defined value.", nameof(WhenUnavailable));
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive.", name);
        }
    }
}
