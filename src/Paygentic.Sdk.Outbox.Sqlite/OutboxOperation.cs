using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Outbox.Sqlite;

internal enum OutboxOperationKind
{
    Upsert,
    Insert,
    Remove,
    Get,
    Load,
    Purge,
    MarkDelivered,
}

/// <summary>A row as written: the entry serialized before it joins a commit, so the committing thread only touches the file.</summary>
internal sealed record OutboxRow(string OperationId, int State, byte[] Payload, long CreatedAt)
{
    public static OutboxRow From(OutboxEntry entry) => new(entry.OperationId, (int)entry.State, entry.ToJsonUtf8(), entry.CreatedAt.ToUnixTimeMilliseconds());
}

/// <summary>One call on the outbox, queued for a group commit; reads go through the same queue (one connection).</summary>
internal sealed class OutboxOperation(OutboxOperationKind kind, OutboxRow[]? rows = null, string[]? ids = null, int? state = null) : GroupCommitItem
{
    public OutboxOperationKind Kind { get; } = kind;

    public OutboxRow[]? Rows { get; } = rows;

    public string[]? Ids { get; } = ids;

    public int? State { get; } = state;

    /// <summary>Purge: rows written before this time (unix ms) go. MarkDelivered: the delivery time (unix ms).</summary>
    public long Before { get; init; }

    public List<OutboxEntry>? Result { get; set; }

    public bool Inserted { get; set; }

    public int Removed { get; set; }

    /// <summary>How many statements it runs (a lone statement commits by itself, several need a transaction).</summary>
    public int Statements => Kind switch
    {
        OutboxOperationKind.Upsert => Rows!.Length,
        OutboxOperationKind.Insert or OutboxOperationKind.Purge => 1,
        OutboxOperationKind.Remove or OutboxOperationKind.MarkDelivered => Ids!.Length,
        _ => 0,
    };
}
