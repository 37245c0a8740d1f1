using System.Net;
using System.Text.Json;

namespace Paygentic.Sdk;

/// <summary>
/// The parts of a failed response that <see cref="PaygenticApiException"/> exposes. Public so tests and custom
/// transports can build API exceptions of their own.
/// </summary>
public sealed class ApiErrorResponse
{
    /// <summary>The HTTP status code.</summary>
    public required HttpStatusCode StatusCode { get; init; }

    /// <summary>The <c>error</c> category.</summary>
    public string? ErrorType { get; init; }

    /// <summary>The <c>code</c> business code.</summary>
    public string? Code { get; init; }

    /// <summary>The server's message.</summary>
    public string? Message { get; init; }

    /// <summary>The <c>details</c> object.</summary>
    public JsonElement? Details { get; init; }

    /// <summary>The <c>errors</c> list of a validation error.</summary>
    public IReadOnlyList<ValidationFieldError> ValidationErrors { get; init; } = [];

    /// <summary>The raw response body.</summary>
    public string RawBody { get; init; } = string.Empty;

    /// <summary>The request id header, when present.</summary>
    public string? RequestId { get; init; }

    /// <summary>The <c>Retry-After</c> delay, when present.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Used when the body carries no message: says why (e.g. the body is not JSON).</summary>
    public string? FallbackDescription { get; init; }
}
