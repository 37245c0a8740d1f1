using System.Net.Http.Headers;

namespace Paygentic.Sdk.Http;

/// <summary>
/// Adds the bearer API key and the SDK's user agent to every attempt. It sits below the retry pipeline, so each
/// attempt is stamped afresh and the key is held in exactly one place.
/// </summary>
internal sealed class AuthenticationHandler(string apiKey) : DelegatingHandler
{
    private const string UserAgentHeader = "User-Agent";

    private static readonly string UserAgent =
        "Paygentic.Sdk.DotNet/" + (typeof(AuthenticationHandler).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private readonly AuthenticationHeaderValue _authorization = new("Bearer", apiKey);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _authorization;

        // Added as a raw value, once per request (a retry reuses the request): parsing a typed product header on every
        // attempt cost more than the rest of this handler. A caller's own product tokens are kept, ours after them.
        if (!HasSdkToken(request))
        {
            request.Headers.TryAddWithoutValidation(UserAgentHeader, UserAgent);
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static bool HasSdkToken(HttpRequestMessage request)
    {
        if (!request.Headers.NonValidated.TryGetValues(UserAgentHeader, out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
            if (value.Contains(UserAgent, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => nameof(AuthenticationHandler) + " (Bearer ***)";
}
