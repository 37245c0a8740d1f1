using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Http;

/// <summary>Turns a failed HTTP response into the typed exception for its status, keeping everything the server said.</summary>
internal static class ErrorTranslator
{
    private static readonly string[] RequestIdHeaders = ["x-request-id", "request-id", "x-paygentic-request-id", "x-correlation-id"];

    public static PaygenticApiException Translate(HttpResponseMessage response, string rawBody, Redactor redactor, TimeProvider time)
    {
        var parsed = TryParse(rawBody);
        var redirect = (int)response.StatusCode is >= 300 and <= 399;
        var location = redirect ? SafeLocation(response.Headers.Location, redactor) : null;
        var error = new ApiErrorResponse
        {
            StatusCode = response.StatusCode,
            ErrorType = parsed?.Error,
            Code = parsed?.Code,

            // A redirect's own description always wins, so the message names where it pointed.
            Message = redirect ? null : redactor.Redact(parsed?.Message),
            Details = parsed?.Details,
            ValidationErrors = parsed?.Errors?.OfType<ErrorBodyField>()
                .Select(e => new ValidationFieldError(e.Field ?? string.Empty, redactor.Redact(e.Message) ?? string.Empty, e.Code))
                .ToArray() ?? [],
            RawBody = redactor.Redact(rawBody) ?? string.Empty,
            RequestId = FindRequestId(response),
            RetryAfter = RetryAfter(response, time),
            FallbackDescription = redirect
                ? $"the server redirected the request to {location ?? "(no Location header)"}; redirects are never followed, so it was not sent there"
                : parsed is null ? Describe(response, redactor.Redact(rawBody) ?? string.Empty) : null,
        };

        return redirect ? new PaygenticUnexpectedRedirectException(error, location) : Create(error);
    }

    /// <summary>
    /// The redirect target as it may be shown: user information and the query string (either can carry a token) are
    /// dropped, the fragment too, and the key is masked should the path echo it.
    /// </summary>
    internal static string? SafeLocation(Uri? location, Redactor redactor)
    {
        if (location is null)
        {
            return null;
        }

        var original = location.OriginalString;
        string shown;
        if (location.IsAbsoluteUri)
        {
            shown = location.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
            if (!string.IsNullOrEmpty(location.Query))
            {
                shown += "?(query removed)";
            }
        }
        else
        {
            var cut = original.IndexOfAny(['?', '#']);
            shown = cut < 0 ? original : original[..cut];
            if (cut >= 0 && original[cut] == '?')
            {
                shown += "?(query removed)";
            }
        }

        return redactor.Redact(shown);
    }

    public static PaygenticApiException Create(ApiErrorResponse error) => (int)error.StatusCode switch
    {
        400 => new PaygenticBadRequestException(error),
        401 => new PaygenticAuthenticationException(error),
        403 => new PaygenticPermissionDeniedException(error),
        404 => new PaygenticNotFoundException(error),
        409 => new PaygenticConflictException(error),
        422 when string.Equals(error.ErrorType, "invalid_event_type", StringComparison.OrdinalIgnoreCase)
            || string.Equals(error.Code, "INVALID_EVENT_TYPE", StringComparison.OrdinalIgnoreCase)
            => new PaygenticInvalidEventTypeException(error),
        422 => new PaygenticUnprocessableEntityException(error),
        429 => new PaygenticRateLimitException(error),
        >= 500 and <= 599 => new PaygenticServerException(error),
        >= 200 and <= 299 => new PaygenticInvalidResponseException(error),
        >= 300 and <= 399 => new PaygenticUnexpectedRedirectException(error, null),
        _ => new PaygenticApiException(error),
    };

    /// <summary>The server's advised delay: delta-seconds or an HTTP date.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static ErrorBody? TryParse(string rawBody)
    {
        if (string.IsNullOrWhiteSpace(rawBody) || rawBody.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(rawBody, PaygenticJsonContext.Default.ErrorBody);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(HttpResponseMessage response, string rawBody)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "no content type";
        if (string.IsNullOrEmpty(rawBody))
        {
            return $"the response body was empty ({mediaType})";
        }

        var preview = rawBody.Length > 200 ? rawBody[..200] + "…" : rawBody;
        return $"the response body is not a JSON error ({mediaType}): {preview.ReplaceLineEndings(" ")}";
    }

    private static string? FindRequestId(HttpResponseMessage response)
    {
        foreach (var name in RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }
}

/// <summary>The error body as the spec defines it: <c>Error</c> and <c>ValidationError</c> together.</summary>
internal sealed class ErrorBody
{
    public string? Message { get; set; }

    public string? Error { get; set; }

    public string? Code { get; set; }

    public JsonElement? Details { get; set; }

    public List<ErrorBodyField?>? Errors { get; set; }
}

/// <summary>One entry of a <c>ValidationError</c>'s <c>errors</c>.</summary>
internal sealed class ErrorBodyField
{
    public string? Field { get; set; }

    public string? Message { get; set; }

    public string? Code { get; set; }
}

/// <summary>
/// Removes the API key from any text that may reach an exception or a log (a server could echo it), and any bearer or
/// basic credential with it: a proxy's error page that echoes the request's headers shows the key in that form.
/// </summary>
internal sealed partial class Redactor(string? secret)
{
    public const string Mask = "[REDACTED]";

    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (!string.IsNullOrEmpty(secret) && text.Contains(secret, StringComparison.Ordinal))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return Credential().Replace(text, "$1" + Mask);
    }

    // The scheme word, then the credential: a token68 (RFC 7235) long enough to be one, so "Bearer token" in a message
    // stays readable. No match timeout: the pattern's parts take disjoint characters, so it cannot backtrack, and a
    // timeout would throw out of error handling.
    [GeneratedRegex(@"(\b(?:Bearer|Basic)\s+)[A-Za-z0-9\-._~+/]{8,}=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();
}
