namespace Paygentic.Sdk.Http;

/// <summary>How far a request may be retried without risking a double charge.</summary>
internal enum RetryClass
{
    /// <summary>Never retried (subscription create, termination, portal link — unless opted in).</summary>
    Never,

    /// <summary>Retried only when the server certainly did not process it: 429, 503, or a connection that never opened.</summary>
    NotProcessedOnly,

    /// <summary>Safe to repeat: reads, deletes, and POSTs that are idempotent by construction.</summary>
    Safe,
}

/// <summary>
/// Classifies a request by method and path. The table is the API's: adding an endpoint means deciding here
/// whether repeating it can cost a customer money.
/// </summary>
internal static class RetryClassifier
{
    public static RetryClass Classify(HttpMethod method, string path, bool retryNonIdempotent)
    {
        if (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Delete || method == HttpMethod.Options)
        {
            return RetryClass.Safe;
        }

        var p = path.TrimEnd('/');
        if (method == HttpMethod.Post)
        {
            // Usage and events carry an idempotencyKey fixed before the first attempt; customer create is idempotent per email.
            if (p is "/v0/usage" or "/v0/usage/batch" or "/v0/events" or "/v0/customers")
            {
                return RetryClass.Safe;
            }

            // A repeated reservation can at worst hold funds twice until the hold expires: retry only what was not processed.
            if (p is "/v0/entitlements" or "/v1/entitlements")
            {
                return RetryClass.NotProcessedOnly;
            }
        }

        if (method == HttpMethod.Patch && p.StartsWith("/v0/usage/", StringComparison.Ordinal))
        {
            // A refund repeated after a lost answer is refused with 422, which would hide that the first one worked.
            return RetryClass.NotProcessedOnly;
        }

        return retryNonIdempotent ? RetryClass.Safe : RetryClass.Never;
    }
}
