namespace Paygentic.Sdk;

/// <summary>400: the request was malformed or failed validation (see <see cref="PaygenticApiException.ValidationErrors"/>), or a business rule refused it (see <see cref="PaygenticApiException.Code"/>, e.g. <c>INSUFFICIENT_FUNDS</c>).</summary>
public class PaygenticBadRequestException(ApiErrorResponse response) : PaygenticApiException(response);

/// <summary>401: the API key is missing, wrong or revoked.</summary>
public class PaygenticAuthenticationException(ApiErrorResponse response) : PaygenticApiException(response);

/// <summary>403: the API key may not touch this object (for example another merchant's).</summary>
public class PaygenticPermissionDeniedException(ApiErrorResponse response) : PaygenticApiException(response);

/// <summary>404: the object does not exist (or is not visible to this key).</summary>
public class PaygenticNotFoundException(ApiErrorResponse response) : PaygenticApiException(response);

/// <summary>409: the request conflicts with the current state (for example a taken <c>externalId</c>).</summary>
public class PaygenticConflictException(ApiErrorResponse response) : PaygenticApiException(response);

/// <summary>422: the request was understood but cannot be applied (for example a usage event already refunded).</summary>
public class PaygenticUnprocessableEntityException(ApiErrorResponse response) : PaygenticApiException(response);

/// <summary>
/// 422 <c>invalid_event_type</c> from <c>POST /v0/events</c>: no billable metric of this merchant has this event
/// type, so the event would never be billed. Configure a metric with this <c>eventType</c>, or fix the type.
/// </summary>
public class PaygenticInvalidEventTypeException(ApiErrorResponse response) : PaygenticUnprocessableEntityException(response);

/// <summary>429: too many requests. <see cref="RetryAfter"/> says how long the server asked to wait.</summary>
public class PaygenticRateLimitException(ApiErrorResponse response) : PaygenticApiException(response)
{
    /// <summary>The server's <c>Retry-After</c> delay, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = (response ?? throw new ArgumentNullException(nameof(response))).RetryAfter;
}

/// <summary>5xx: Paygentic failed to handle the request. Idempotent calls were already retried.</summary>
public class PaygenticServerException(ApiErrorResponse response) : PaygenticApiException(response);

/// <summary>
/// A success status came with a body that is not the JSON the API promises (empty, truncated, HTML).
/// The raw text is in <see cref="PaygenticApiException.RawBody"/>.
/// </summary>
public class PaygenticInvalidResponseException(ApiErrorResponse response) : PaygenticApiException(response);

/// <summary>
/// 3xx: the server answered with a redirect. The SDK never follows one (a usage report re-sent to another origin could
/// leak the key or be charged there) and never retries it; <see cref="Location"/> says where it pointed.
/// </summary>
public class PaygenticUnexpectedRedirectException : PaygenticApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="response">What the server answered.</param>
    /// <param name="location">The redirect target, with any user information and query string removed; <see langword="null"/> when absent.</param>
    public PaygenticUnexpectedRedirectException(ApiErrorResponse response, string? location)
        : base(response)
    {
        Location = location;
    }

    /// <summary>Where the redirect pointed, without user information or query string (which could carry secrets).</summary>
    public string? Location { get; }
}
