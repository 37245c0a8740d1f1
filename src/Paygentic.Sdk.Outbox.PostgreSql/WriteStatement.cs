namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// One write as SQL text with positional parameters (<c>$1</c>...), queued for group commit. Values, not
/// <c>NpgsqlParameter</c> objects, are kept because a parameter belongs to one command: a retried or isolated batch
/// builds fresh ones. Values are never null (SQL casts stand in for typed nulls).
/// </summary>
/// <param name="Sql">The statement.</param>
/// <param name="Values">Its parameter values in order.</param>
/// <param name="Relaxed">
/// Whether the write may commit without waiting for the log flush (<c>synchronous_commit</c> off for its transaction).
/// Honoured only when every write of its batch is relaxed: a batch that also carries a durable write commits durably,
/// since the durable writer waits for the flush anyway. Default false.
/// </param>
internal sealed record WriteStatement(string Sql, object[] Values, bool Relaxed = false);
