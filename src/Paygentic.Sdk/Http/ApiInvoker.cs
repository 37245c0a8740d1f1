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

    public async Task SendAsync(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(send, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            throw ErrorTranslator.Translate(response, Decode(body), redactor, time);
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

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new PaygenticTransportException($"The answer from Paygentic ({(int)response.StatusCode}) was cut off: {e.Message}", e);
        }
    }

    private PaygenticApiException Invalid(HttpResponseMessage response, string raw, string why) =>
        ErrorTranslator.Create(new ApiErrorResponse
        {
            StatusCode = response.StatusCode,
            RawBody = redactor.Redact(raw) ?? string.Empty,
            FallbackDescription = why,
        });

    private static string Decode(byte[] body) => body.Length == 0 ? string.Empty : Encoding.UTF8.GetString(body);
}
