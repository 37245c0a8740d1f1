using System.Buffers;
using System.IO.Compression;
using System.Net;

namespace Paygentic.Sdk.Http;

/// <summary>
/// A response body read whole, inflated and held under a size cap in a buffer rented from the shared pool; the buffer
/// goes back (cleared) when the content, or the response owning it, is disposed. The pipeline reads every answer into
/// one of these inside the attempt, so the attempt and total timeouts cover the body as well as the headers, and a
/// body that never ends, or inflates without bound, stops at the cap instead of at the end of the process's memory.
/// </summary>
internal sealed class BufferedContent : HttpContent
{
    // The first buffer when the length is not declared (or is compressed); it doubles as the body arrives.
    private const int InitialBuffer = 16 * 1024;

    private readonly int _count;
    private byte[]? _buffer;

    private BufferedContent(byte[] buffer, int count, HttpContent original)
    {
        _buffer = buffer;
        _count = count;
        foreach (var header in original.Headers.NonValidated)
        {
            // The bytes held are the inflated ones: their length and encoding are no longer the wire's.
            if (!string.Equals(header.Key, "Content-Encoding", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }

    /// <summary>The body; valid until the content is disposed.</summary>
    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(BufferedContent))).AsSpan(0, _count);

    /// <summary>
    /// Reads <paramref name="response"/>'s body into a new <see cref="BufferedContent"/>, which replaces (and
    /// disposes) the original content. Over <paramref name="maxBytes"/> after inflation is
    /// <see cref="PaygenticResponseTooLargeException"/>; a body cut off or not decodable is a
    /// <see cref="PaygenticTransportException"/>; a cancellation (the attempt's timeout included) is passed on as it is.
    /// </summary>
    public static async Task BufferAsync(HttpResponseMessage response, int maxBytes, string operation, Redactor redactor, CancellationToken cancellationToken)
    {
        var original = response.Content;
        if (original is BufferedContent)
        {
            return;
        }

        var compressed = IsCompressed(original);
        if (!compressed && original.Headers.ContentLength is { } declared && declared > maxBytes)
        {
            // Refused before a byte is read: the answer says itself that it is over the cap.
            throw TooLarge(maxBytes, operation, response.StatusCode);
        }

        var first = !compressed && original.Headers.ContentLength is > 0 and { } length
            ? (int)Math.Min(length + 1, maxBytes) // one more than declared, so the read that finds the end does not grow it
            : Math.Min(InitialBuffer, maxBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(first);
        var count = 0;
        try
        {
            var stream = Inflate(original, await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    // The pool may hand out more than was asked for; never more than the cap is filled.
                    var capacity = Math.Min(buffer.Length, maxBytes);
                    if (count == capacity)
                    {
                        if (count >= maxBytes)
                        {
                            // Full at the cap: one more byte says whether the body ends here or is over it.
                            if (await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) > 0)
                            {
                                throw TooLarge(maxBytes, operation, response.StatusCode);
                            }

                            break;
                        }

                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * capacity, maxBytes));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        Return(buffer, count);
                        buffer = larger;
                        capacity = Math.Min(buffer.Length, maxBytes);
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(count, capacity - count), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    count += read;
                }
            }
        }
        catch (Exception e) when ((e is HttpRequestException or IOException or InvalidDataException) && !cancellationToken.IsCancellationRequested)
        {
            Return(buffer, count);
            var what = e is InvalidDataException ? "could not be decompressed" : "was cut off";
            throw new PaygenticTransportException($"The answer from Paygentic ({(int)response.StatusCode}) to {operation} {what}: {redactor.Redact(e.Message)}", e);
        }
        catch
        {
            Return(buffer, count);
            throw;
        }

        response.Content = new BufferedContent(buffer, count, original);
        original.Dispose();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(Memory()).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(Memory(), cancellationToken).AsTask();

    protected override Task<Stream> CreateContentReadStreamAsync() =>
        Task.FromResult<Stream>(new MemoryStream(_buffer ?? throw new ObjectDisposedException(nameof(BufferedContent)), 0, _count, writable: false));

    protected override bool TryComputeLength(out long length)
    {
        length = _count;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            Return(buffer, _count);
        }

        base.Dispose(disposing);
    }

    private ReadOnlyMemory<byte> Memory() => (_buffer ?? throw new ObjectDisposedException(nameof(BufferedContent))).AsMemory(0, _count);

    private static PaygenticResponseTooLargeException TooLarge(int maxBytes, string operation, HttpStatusCode status) =>
        new($"The answer from Paygentic ({(int)status}) to {operation} is larger than the {maxBytes} bytes allowed by PaygenticOptions.MaxResponseBodyBytes; it was not read further.");

    private static void Return(byte[] buffer, int count)
    {
        // Cleared first: the shared pool hands it to any code in the process, and answers name customers.
        buffer.AsSpan(0, Math.Min(count, buffer.Length)).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private static bool IsCompressed(HttpContent content) =>
        content.Headers.NonValidated.TryGetValues("Content-Encoding", out var values)
        && values.ToString().Trim().ToUpperInvariant() is "GZIP" or "BR" or "DEFLATE";

    /// <summary>
    /// The body as sent before compression, when the answer says it was compressed (only the batch call asks for it; a
    /// caller's own transport may have inflated it already, and then the header is gone). An encoding this client did
    /// not ask for is read as it is, and fails as an invalid answer carrying those bytes.
    /// </summary>
    private static Stream Inflate(HttpContent content, Stream body)
    {
        if (!content.Headers.NonValidated.TryGetValues("Content-Encoding", out var values))
        {
            return body;
        }

        return values.ToString().Trim().ToUpperInvariant() switch
        {
            "GZIP" => new GZipStream(body, CompressionMode.Decompress),
            "BR" => new BrotliStream(body, CompressionMode.Decompress),
            "DEFLATE" => new ZLibStream(body, CompressionMode.Decompress),
            _ => body,
        };
    }
}
