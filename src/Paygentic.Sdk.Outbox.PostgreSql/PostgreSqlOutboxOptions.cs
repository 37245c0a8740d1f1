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

    /// <summary>
    /// Whether the guard's open tickets — the write made at authorization, before the work runs — wait for PostgreSQL's
    /// log flush like every other write. Default <see langword="false"/>: that one write commits with
    /// <c>synchronous_commit</c> off for its own transaction only; everything else (reports, tombstones, dead letters,
    /// leases, pools) keeps the server's durability.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <see langword="false"/> (relaxed) saves one wait for the log flush on every guarded operation, before its work
    /// starts. What it risks: the open ticket is visible to every replica as soon as it commits and survives any crash
    /// of the replica, but a crash of the PostgreSQL server itself (or a failover to a standby) within a few
    /// <c>wal_writer_delay</c> periods of the authorization can lose it. The log is written in order, so the
    /// completion's durable commit — or any later durable commit on the server — makes the earlier ticket durable
    /// too. If the ticket is lost and the replica lives, its completion writes the report anyway and the operation is
    /// charged; if the replica dies as well, the operation is not recovered: it goes uncharged, never charged twice.
    /// Until that completion a retry of the same operation id is not refused either (its work could run again; the
    /// shared idempotency key still charges it once).
    /// </para>
    /// <para>
    /// <see langword="true"/> (durable) costs that flush wait on every guarded operation; in exchange a ticket survives
    /// a crash of the server at any instant, so work cut off by a replica's death is recovered (charged as
    /// <c>MeteringOptions.Recovery</c> says) even when the server crashed in the same moment. Either way a server
    /// configured with <c>synchronous_commit</c> off or <c>fsync</c> off makes every write relaxed, whatever this says.
    /// </para>
    /// </remarks>
    public bool DurableAuthorizations { get; set; }

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
