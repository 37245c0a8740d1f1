using System.Net;
using System.Text.Json;

namespace Paygentic.Sdk;

/// <summary>
/// Paygentic answered with an error status, or with a body that could not be read. Carries everything the server
/// said: status, the <c>error</c> category, the <c>code</c> to branch on, the message, details, per-field
/// validation errors, the raw body and the request id.
/// </summary>
public class PaygenticApiException : PaygenticException
{
    /// <summary>Creates the exception from a parsed error response.</summary>
    /// <param name="response">What the server answered.</param>
    public PaygenticApiException(ApiErrorResponse response)
        : base(BuildMessage(response ?? throw new ArgumentNullException(nameof(response))))
    {
        StatusCode = response.StatusCode;
        ErrorType = response.ErrorType;
        Code = response.Code;
        ApiMessage = response.Message;
        Details = response.Details;
        ValidationErrors = response.ValidationErrors;
        RawBody = response.RawBody;
        RequestId = response.RequestId;
    }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The coarse error category (<c>error</c>), e.g. <c>not_found</c>.</summary>
    public string? ErrorType { get; }

    /// <summary>The machine-readable business code (<c>code</c>), e.g. <c>INSUFFICIENT_FUNDS</c>. Branch on this.</summary>
    public string? Code { get; }

    /// <summary>The server's human-readable message, when it sent one.</summary>
    public string? ApiMessage { get; }

    /// <summary>The server's <c>details</c> object, when it sent one.</summary>
    public JsonElement? Details { get; }

    /// <summary>The per-field errors of a <c>ValidationError</c> body (empty otherwise).</summary>
    public IReadOnlyList<ValidationFieldError> ValidationErrors { get; }

    /// <summary>The response body as text (possibly an HTML page or a truncated body).</summary>
    public string RawBody { get; }

    /// <summary>The request id the server returned, for support tickets.</summary>
    public string? RequestId { get; }

    private static string BuildMessage(ApiErrorResponse response)
    {
        var status = (int)response.StatusCode;
        var category = response.ErrorType ?? response.Code;
        var head = category is null ? $"Paygentic API returned {status}" : $"Paygentic API returned {status} ({category})";
        var text = response.Message ?? response.FallbackDescription;
        var message = text is null ? head + "." : $"{head}: {text}";
        if (response.ValidationErrors.Count > 0)
        {
            message += " Fields: " + string.Join("; ", response.ValidationErrors.Select(e => $"{e.Field}: {e.Message}"));
        }

        return response.RequestId is null ? message : $"{message} (request id {response.RequestId})";
    }
}
