namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Where a stored entry stands. The numbers match the guard's outbox entry states so the adapter maps them by value;
/// the table stores the lower-case names (<c>authorized</c>, <c>pending</c>, <c>dead_lettered</c>) so monitoring SQL
/// reads plainly.
/// </summary>
public enum StoredEntryState
{
    /// <summary>An open ticket: work authorized, not yet completed or cancelled.</summary>
    Authorized = 0,

    /// <summary>A report waiting for delivery.</summary>
    Pending = 1,

    /// <summary>A dead letter, kept for a person to requeue or discard; never claimed for delivery.</summary>
    DeadLettered = 2,
}
