using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Accounts;

/// <summary>
/// Who is calling: the <c>X-Auth-Token</c> header (Judge0's AUTHN_HEADER), looked up by its hash. The page's session
/// cookie is accepted only where a browser navigates (<c>/account</c>, <c>/billing-portal</c>), never on the Judge0
/// routes, so a cross-site form cannot submit code in a user's name.
/// </summary>
internal static class Authentication
{
    public const string Header = "X-Auth-Token";
    public const string SessionCookie = "coderunner_session";
    private const string ItemKey = "coderunner.account";

    public static async Task<AccountRecord?> ResolveAsync(HttpContext context, bool allowSession)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? token = context.Request.Headers[Header].FirstOrDefault();
        if (string.IsNullOrEmpty(token) && allowSession)
        {
            token = context.Request.Cookies[SessionCookie];
        }

        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        AccountStore accounts = context.RequestServices.GetRequiredService<AccountStore>();
        AccountRecord? account = await accounts.FindByTokenHashAsync(ApiTokens.Hash(token), context.RequestAborted).ConfigureAwait(false);
        if (account?.CustomerId is null)
        {
            return null; // a sign-up still under way has no usable token yet
        }

        context.Items[ItemKey] = account;
        return account;
    }

    /// <summary>The account an endpoint filter resolved.</summary>
    public static AccountRecord Account(HttpContext context) =>
        context.Items[ItemKey] as AccountRecord ?? throw new InvalidOperationException("The route has no authentication filter.");

    /// <summary>The filter of Judge0's routes: 401 with Judge0's empty body when the token is missing or unknown.</summary>
    public static async ValueTask<object?> RequireToken(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        return await ResolveAsync(invocation.HttpContext, allowSession: false).ConfigureAwait(false) is null
            ? Results.StatusCode(StatusCodes.Status401Unauthorized)
            : await next(invocation).ConfigureAwait(false);
    }

    /// <summary>As <see cref="RequireToken"/>, also accepting the page's session cookie.</summary>
    public static async ValueTask<object?> RequireTokenOrSession(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        return await ResolveAsync(invocation.HttpContext, allowSession: true).ConfigureAwait(false) is null
            ? Results.StatusCode(StatusCodes.Status401Unauthorized)
            : await next(invocation).ConfigureAwait(false);
    }
}
