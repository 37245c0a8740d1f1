using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Paygentic.Sdk.Http;

/// <summary>A parsed success body and the status it came with (200 versus 201 matters for create calls).</summary>
internal readonly record struct ApiResult<T>(T Value, HttpStatusCode StatusCode);

/// <summary>
/// Sends one API call and turns its outcome into a value or a typed exception. Every resource client goes through
/// here, so error handling is the same everywhere: a non-JSON or truncated body becomes
/// <see cref="PaygenticApiException"/> carrying the raw text, never a <see cref="JsonException"/>.
/// </summary>
internal sealed class ApiInvoker(Redactor redactor, TimeProvider time, Uri baseUrl)
{
    public async Task<ApiResult<T>> SendAsync<T>(Func<Task<HttpResponseMessage>> send, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(send, cancellationToken).ConfigureAwait(false);
        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        try
        {
            return Parse(response, body.Span, typeInfo);
        }
        finally
        {
            body.Return();
        }
    }

    public async Task SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(send, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            try
            {
                throw ErrorTranslator.Translate(response, Decode(body.Span), redactor, time);
            }
            finally
            {
                body.Return();
            }
        }
    }

    private ApiResult<T> Parse<T>(HttpResponseMessage response, ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw ErrorTranslator.Translate(response, Decode(body), redactor, time);
        }

        if (body.Length == 0)
        {
            throw Invalid(response, string.Empty, $"the {(int)response.StatusCode} response had an empty body where JSON was expected");
        }

        try
        {
            var value = JsonSerializer.Deserialize(body, typeInfo);
            return value is null
                ? throw Invalid(response, Decode(body), "the response body was JSON null")
                : new ApiResult<T>(value, response.StatusCode);
        }
        catch (JsonException e)
        {
            throw Invalid(response, Decode(body), $"the response body is not valid JSON for {typeof(T).Name} ({e.Message})");
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (Translate(e is Refit.ApiRequestException { InnerException: { } inner } ? inner : e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Maps a failure of the HTTP pipeline (Refit wraps them) to the SDK's own exceptions.</summary>
    private PaygenticException? Translate(Exception e) => e switch
    {
        TimeoutRejectedException t => new PaygenticTimeoutException($"The call to Paygentic timed out after {t.Timeout.TotalSeconds:0.###} s.", t),
        OperationCanceledException => new PaygenticTimeoutException("The call to Paygentic timed out.", e),
        BrokenCircuitException => new PaygenticCircuitOpenException("Paygentic calls are paused after repeated failures (circuit open); the request was not sent.", e),
        HttpRequestException => new PaygenticTransportException($"Could not complete the call to Paygentic at {baseUrl.Host}: {redactor.Redact(e.Message)}", e),
        IOException => new PaygenticTransportException($"The connection to Paygentic at {baseUrl.Host} failed: {redactor.Redact(e.Message)}", e),
        _ => null,
    };

    /// <summary>
    /// Reads the whole body into a buffer rented from the shared pool (the caller returns it once parsed). A batch
    /// answer is ~500 KB: read as a fresh byte[] each time, it was a large-object-heap allocation per call, and the
    /// gen-2 collections those forced cost the reporter more CPU than parsing. The whole body is kept, not streamed
    /// into the parser, so a non-JSON or malformed answer still reaches the caller's exception as raw text.
    /// </summary>
    private static async Task<PooledBody> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // One byte more than declared, so the read that finds the end (0 bytes) does not grow the buffer.
        var length = response.Content.Headers.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(length is > 0 and < MaxPresize ? (int)length + 1 : InitialBuffer);
        var count = 0;
        try
        {
            var stream = Inflate(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (count == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return new PooledBody(buffer, count);
                    }

                    count += read;
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            var what = e is InvalidDataException ? "could not be decompressed" : "was cut off";
            throw new PaygenticTransportException($"The answer from Paygentic ({(int)response.StatusCode}) {what}: {e.Message}", e);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            throw;
        }
    }

    /// <summary>
    /// The body as sent before compression, when the answer says it was compressed (only the batch call asks for it; a
    /// caller's own transport may have inflated it already, and then the header is gone). An encoding this client did
    /// not ask for is read as it is, and fails as an invalid answer carrying those bytes.
    /// </summary>
    private static Stream Inflate(HttpResponseMessage response, Stream body)
    {
        if (!response.Content.Headers.NonValidated.TryGetValues("Content-Encoding", out var values))
        {
            return body;
        }

        var encoding = values.ToString().Trim();
        return encoding.ToUpperInvariant() switch
        {
            "GZIP" => new GZipStream(body, CompressionMode.Decompress),
            "BR" => new BrotliStream(body, CompressionMode.Decompress),
            "DEFLATE" => new ZLibStream(body, CompressionMode.Decompress),
            _ => body,
        };
    }

    private PaygenticApiException Invalid(HttpResponseMessage response, string raw, string why) =>
        ErrorTranslator.Create(new ApiErrorResponse
        {
            StatusCode = response.StatusCode,
            RawBody = redactor.Redact(raw) ?? string.Empty,
            FallbackDescription = why,
        });

    private static string Decode(ReadOnlySpan<byte> body) => body.IsEmpty ? string.Empty : Encoding.UTF8.GetString(body);

    // The first buffer when the length is not declared; it doubles as the body arrives.
    private const int InitialBuffer = 16 * 1024;

    // A declared length above this is not trusted for the first rent; the buffer grows as data really arrives.
    private const int MaxPresize = 64 * 1024 * 1024;

    /// <summary>A body in a pooled buffer: <see cref="Span"/> is valid until <see cref="Return"/>.</summary>
    private readonly struct PooledBody(byte[] buffer, int count)
    {
        public ReadOnlySpan<byte> Span => buffer.AsSpan(0, count);

        public void Return()
        {
            // Cleared first: the shared pool hands it to any code in the process, and answers name customers.
            buffer.AsSpan(0, count).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
