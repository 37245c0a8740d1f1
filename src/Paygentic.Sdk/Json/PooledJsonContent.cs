using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Paygentic.Sdk.Json;

/// <summary>
/// A JSON request body serialized once, synchronously, into a buffer rented from the shared pool, and sent from there
/// with its Content-Length. A usage batch is ~300 KB: serialized through Refit's buffered body it took the resumable
/// (async) serializer plus growing copies and a large-object-heap array per call. The buffer goes back to the pool
/// only when the content is disposed and no send is still reading it, so a retry can send it again.
/// </summary>
internal sealed class PooledJsonContent : HttpContent
{
    private static readonly MediaTypeHeaderValue JsonUtf8 = new("application/json") { CharSet = "utf-8" };

    private readonly Lock _gate = new();
    private readonly int _length;
    private byte[]? _buffer;
    private int _readers;
    private bool _disposed;

    private PooledJsonContent(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
        Headers.ContentType = JsonUtf8;
    }

    /// <summary>Serializes <paramref name="value"/> now; errors surface here, not in the middle of a send.</summary>
    public static PooledJsonContent Create<T>(T value, JsonTypeInfo<T> typeInfo, int sizeHint) =>
        Write((Value: value, TypeInfo: typeInfo), static (json, body) => JsonSerializer.Serialize(json, body.Value, body.TypeInfo), typeInfo.Options, sizeHint);

    /// <summary>
    /// Writes a body now with <paramref name="write"/>, under the same writer settings as <paramref name="options"/> (the
    /// encoder above all, so a body written by hand escapes text exactly as the serializer would); errors surface here.
    /// </summary>
    public static PooledJsonContent Write<TState>(TState state, Action<Utf8JsonWriter, TState> write, JsonSerializerOptions options, int sizeHint)
    {
        var writer = new PooledBufferWriter(sizeHint);
        try
        {
            using (var json = new Utf8JsonWriter(writer, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, MaxDepth = options.MaxDepth, SkipValidation = true }))
            {
                write(json, state);
            }

            return new PooledJsonContent(writer.Buffer, writer.Count);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(writer.Buffer, clearArray: true);
            throw;
        }
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] buffer;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            buffer = _buffer;
            _readers++;
        }

        try
        {
            await stream.WriteAsync(buffer.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _readers--;
                ReleaseIfUnused();
            }
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                _disposed = true;
                ReleaseIfUnused();
            }
        }

        base.Dispose(disposing);
    }

    private void ReleaseIfUnused()
    {
        // Under _gate. Whoever finishes last (the dispose or the last send) returns the buffer, exactly once.
        if (_disposed && _readers == 0 && _buffer is { } buffer)
        {
            _buffer = null;

            // Cleared first: the shared pool hands it to any code in the process, and it holds customers' usage.
            buffer.AsSpan(0, _length).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over pooled arrays that grows by renting a larger one.</summary>
    private sealed class PooledBufferWriter(int sizeHint) : IBufferWriter<byte>
    {
        public byte[] Buffer { get; private set; } = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 256));

        public int Count { get; private set; }

        public void Advance(int count) => Count += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return Buffer.AsMemory(Count);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return Buffer.AsSpan(Count);
        }

        private void Ensure(int sizeHint)
        {
            var needed = Count + Math.Max(sizeHint, 1);
            if (needed <= Buffer.Length)
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, checked(Buffer.Length * 2)));
            Buffer.AsSpan(0, Count).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(Buffer, clearArray: true);
            Buffer = larger;
        }
    }
}
