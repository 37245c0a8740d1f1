namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// What the guard is to do with new work while PostgreSQL cannot be written. The store only carries the choice; the
/// guard's adapter applies it (see the package README).
/// </summary>
public enum PostgreSqlUnavailableBehavior
{
    /// <summary>
    /// Refuse new guarded operations until a ticket can be written again (the default). Nothing runs unrecorded, so
    /// nothing is ever given away or charged twice; the cost is availability: the service's metered work stops while
    /// the database is down.
    /// </summary>
    RefuseNewWork = 0,

    /// <summary>
    /// Run new work without a durable ticket. The service stays up; the cost is that usage of operations whose
    /// process dies before PostgreSQL returns is lost for good (given away, never charged).
    /// </summary>
    FailOpen = 1,
}
