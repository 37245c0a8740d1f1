using System.Buffers;
using System.Text.Json;
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

/// <summary>
/// A row as written: the entry serialized before it joins a commit, so the committing thread only touches the file. The
/// JSON goes into a pooled buffer (a row per write, two writes per guarded operation: a new array each was most of the
/// outbox's allocation), returned when the operation completes.
/// </summary>
internal sealed class OutboxRow
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private byte[]? _payload;

    private OutboxRow(string operationId, int state, byte[] payload, int length, long createdAt)
    {
        OperationId = operationId;
        State = state;
        _payload = payload;
        Length = length;
        CreatedAt = createdAt;
    }

    public string OperationId { get; }

    public int State { get; }

    public int Length { get; }

    public long CreatedAt { get; }

    public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, Length);

    public static OutboxRow From(OutboxEntry entry)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            t_writer = writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }

        entry.WriteJsonTo(writer);
        writer.Flush();
        var written = buffer.WrittenSpan;
        var payload = ArrayPool<byte>.Shared.Rent(written.Length);
        written.CopyTo(payload);
        return new OutboxRow(entry.OperationId, (int)entry.State, payload, written.Length, entry.CreatedAt.ToUnixTimeMilliseconds());
    }

    /// <summary>Gives the buffer back (once the operation has completed; the row is not read again).</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _payload, null) is { } payload)
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }
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

    protected override void OnCompleted()
    {
        if (Rows is { } rows)
        {
            foreach (var row in rows)
            {
                row.Release();
            }
        }
    }

    /// <summary>How many statements it runs (a lone statement commits by itself, several need a transaction).</summary>
    public int Statements => Kind switch
    {
        OutboxOperationKind.Upsert => Rows!.Length,
        OutboxOperationKind.Insert or OutboxOperationKind.Purge => 1,
        OutboxOperationKind.Remove or OutboxOperationKind.MarkDelivered => Ids!.Length,
        _ => 0,
    };
}
