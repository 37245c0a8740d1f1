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
/// JSON goes into a pooled buffer (two writes per guarded operation: a new array each was most of the outbox's
/// allocation), returned when the operation completes. A struct kept inside its operation: no object per row.
/// </summary>
internal struct OutboxRow
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

    public readonly ReadOnlySpan<byte> Payload => _payload.AsSpan(0, Length);

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

    /// <summary>Gives the buffer back (once, when its operation has completed; the row is not read again).</summary>
    public void Release()
    {
        if (_payload is { } payload)
        {
            _payload = null;
            ArrayPool<byte>.Shared.Return(payload);
        }
    }
}

/// <summary>One call on the outbox, queued for a group commit; reads go through the same queue (one connection).</summary>
internal abstract class OutboxOperation(OutboxOperationKind kind) : GroupCommitItem
{
    public OutboxOperationKind Kind { get; private protected set; } = kind;

    /// <summary>How many statements it runs (a lone statement commits by itself, several need a transaction).</summary>
    public abstract int Statements { get; }
}

/// <summary>Rows written (upsert, or insert-if-absent). Two per guarded operation: kept small, one row inline.</summary>
/// <remarks>
/// A one-row write that its caller committed itself (the usual case with one caller) is kept for that thread's next
/// one-row write: <see cref="Rent"/> and <see cref="ReturnIfFinishedHere"/>. It is returned only when the calling thread
/// completed it and no task was ever asked of it, so no other thread can still hold it; anything else is left to the GC.
/// </remarks>
internal sealed class RowWrite : OutboxOperation
{
    [ThreadStatic]
    private static RowWrite? t_spare;

    private readonly OutboxRow[]? _rows;
    private OutboxRow _row;

    public RowWrite(OutboxOperationKind kind, OutboxRow row)
        : base(kind)
    {
        _row = row;
        Statements = 1;
    }

    public RowWrite(OutboxOperationKind kind, OutboxRow[] rows)
        : base(kind)
    {
        _rows = rows;
        Statements = rows.Length;
    }

    /// <summary>A one-row write: this thread's spare one if it has it, else a new one.</summary>
    public static RowWrite Rent(OutboxOperationKind kind, OutboxRow row)
    {
        if (t_spare is not { } spare)
        {
            return new RowWrite(kind, row);
        }

        t_spare = null;
        spare.ResetOutcome();
        spare.Kind = kind;
        spare._row = row;
        spare.Inserted = false;
        return spare;
    }

    /// <summary>Keeps this write as the thread's spare when the thread finished it itself (see the remarks).</summary>
    public void ReturnIfFinishedHere()
    {
        if (_rows is null && CompletedHereAndUnobserved)
        {
            t_spare = this;
        }
    }

    public override int Statements { get; }

    /// <summary>The rows to write.</summary>
    public ReadOnlySpan<OutboxRow> Rows => _rows ?? new ReadOnlySpan<OutboxRow>(in _row);

    /// <summary>Insert-if-absent: whether the row was added.</summary>
    public bool Inserted { get; set; }

    protected override void OnCompleted()
    {
        if (_rows is { } rows)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i].Release();
            }
        }
        else
        {
            _row.Release();
        }
    }
}

/// <summary>Reads, removals, delivered marks and purges: operations on keys or a state.</summary>
internal sealed class KeyedOperation(OutboxOperationKind kind, string[]? ids = null, int? state = null) : OutboxOperation(kind)
{
    public string[]? Ids { get; } = ids;

    public int? State { get; } = state;

    /// <summary>Purge: rows written before this time (unix ms) go. MarkDelivered: the delivery time (unix ms).</summary>
    public long Before { get; init; }

    public List<OutboxEntry>? Result { get; set; }

    public int Removed { get; set; }

    public override int Statements => Kind switch
    {
        OutboxOperationKind.Purge => 1,
        OutboxOperationKind.Remove or OutboxOperationKind.MarkDelivered => Ids!.Length,
        _ => 0,
    };
}
