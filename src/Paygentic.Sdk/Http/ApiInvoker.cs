using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Paygentic.Sdk.Json;
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
internal sealed class ApiInvoker(Redactor redactor, TimeProvider time, Uri baseUrl, int maxBodyBytes)
{
    public async Task<ApiResult<T>> SendAsync<T>(Func<Task<HttpResponseMessage>> send, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(send, cancellationToken).ConfigureAwait(false);
        return Parse(response, (await BodyAsync(response, cancellationToken).ConfigureAwait(false)).Span, typeInfo);
    }

    public async Task SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(send, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw ErrorTranslator.Translate(response, Decode((await BodyAsync(response, cancellationToken).ConfigureAwait(false)).Span), redactor, time);
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
            return value switch
            {
                null => throw Invalid(response, Decode(body), "the response body was JSON null"),
                ICheckedAnswer { MissingMember: { } missing } => throw Invalid(response, Decode(body), $"the response body lacks the required '{missing}' for {typeof(T).Name}"),
                _ => new ApiResult<T>(value, response.StatusCode),
            };
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
        catch (PaygenticException)
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
        PaygenticException own => own, // already the SDK's verdict (a body over the cap, cut off, undecodable)
        TimeoutRejectedException t => new PaygenticTimeoutException($"The call to Paygentic timed out after {t.Timeout.TotalSeconds:0.###} s.", t),
        OperationCanceledException => new PaygenticTimeoutException("The call to Paygentic timed out.", e),
        BrokenCircuitException => new PaygenticCircuitOpenException("Paygentic calls are paused after repeated failures (circuit open); the request was not sent.", e),
        HttpRequestException => new PaygenticTransportException($"Could not complete the call to Paygentic at {baseUrl.Host}: {redactor.Redact(e.Message)}", e),
        IOException => new PaygenticTransportException($"The connection to Paygentic at {baseUrl.Host} failed: {redactor.Redact(e.Message)}", e),
        _ => null,
    };

    /// <summary>
    /// The whole body, in the pooled buffer the pipeline read it into inside the attempt (so the attempt's timeout and
    /// the size cap covered it); the response owns that buffer and returns it when disposed. A response that did not
    /// come through the pipeline (a caller's own Refit client, say) is read here, under the same cap. The whole body is
    /// kept, not streamed into the parser, so a non-JSON or malformed answer still reaches the caller's exception as
    /// raw text.
    /// </summary>
    private async ValueTask<BufferedContent> BodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content is not BufferedContent)
        {
            var operation = $"{response.RequestMessage?.Method.Method ?? "?"} {response.RequestMessage?.RequestUri?.AbsolutePath ?? "?"}";
            await BufferedContent.BufferAsync(response, maxBodyBytes, operation, redactor, cancellationToken).ConfigureAwait(false);
        }

        return (BufferedContent)response.Content;
    }

    private PaygenticApiException Invalid(HttpResponseMessage response, string raw, string why) =>
        ErrorTranslator.Create(new ApiErrorResponse
        {
            StatusCode = response.StatusCode,
            RawBody = redactor.Redact(raw) ?? string.Empty,
            FallbackDescription = why,
        });

    private static string Decode(ReadOnlySpan<byte> body) => body.IsEmpty ? string.Empty : Encoding.UTF8.GetString(body);
}
