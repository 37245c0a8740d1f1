namespace Paygentic.Sdk.Http;

/// <summary>
/// How far a request may be retried without risking a double charge. Each operation declares its class where it is
/// defined, on its Refit method: <c>[Headers(RetryDeclaration.Safe)]</c> and the like. The pipeline handler takes the
/// declaration off the request before it is sent. A test fails for any Refit method without one, so a new endpoint is
/// never retried (or not retried) by accident.
/// </summary>
internal enum RetryClass
{
    /// <summary>Never retried (subscription create, termination, portal link, customer update — unless opted in).</summary>
    Never,

    /// <summary>Retried only when the server certainly did not process it: 429, 503, or a connection that never opened.</summary>
    NotProcessedOnly,

    /// <summary>Safe to repeat: reads, deletes, and POSTs that are idempotent by construction.</summary>
    Safe,
}

/// <summary>The declarations (Refit <c>[Headers]</c> values) and how the handler reads them.</summary>
internal static class RetryDeclaration
{
    public const string HeaderName = "X-Paygentic-Retry-Class";

    /// <summary>Reads, deletes, and POSTs idempotent by construction (a key fixed before the first attempt, or per email).</summary>
    public const string Safe = HeaderName + ": Safe";

    /// <summary>A repeat could cost the customer something recoverable (a second hold until it expires, a refund refused as repeated).</summary>
    public const string NotProcessedOnly = HeaderName + ": NotProcessedOnly";

    /// <summary>A repeat could create a second object or act twice; retried only when the caller opts in.</summary>
    public const string Never = HeaderName + ": Never";

    /// <summary>
    /// The request's declared class (removed from the request). Without a declaration (a request not made by a Refit
    /// method), only the safe verbs are retried.
    /// </summary>
    public static RetryClass Take(HttpRequestMessage request, bool retryNonIdempotent)
    {
        RetryClass declared;
        if (request.Headers.NonValidated.TryGetValues(HeaderName, out var values))
        {
            var value = values.ToString();
            declared = value switch
            {
                "Safe" => RetryClass.Safe,
                "NotProcessedOnly" => RetryClass.NotProcessedOnly,
                _ => RetryClass.Never,
            };
            request.Headers.Remove(HeaderName);
        }
        else
        {
            var method = request.Method;
            declared = method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Delete || method == HttpMethod.Options
                ? RetryClass.Safe
                : RetryClass.Never;
        }

        return declared == RetryClass.Never && retryNonIdempotent ? RetryClass.Safe : declared;
    }
}
