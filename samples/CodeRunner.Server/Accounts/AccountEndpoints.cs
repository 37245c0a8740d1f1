using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodeRunner.Server.Configuration;
using CodeRunner.Server.Execution;
using CodeRunner.Server.Judge0;
using CodeRunner.Server.Storage;
using Paygentic.Sdk;
using Paygentic.Sdk.Subscriptions;

namespace CodeRunner.Server.Accounts;

/// <summary>
/// Sign-up (open), token rotation, the account's state and spend, the billing portal redirect, and the page's
/// session (a cookie holding the token, HttpOnly and SameSite=Strict, for browser navigation only).
/// </summary>
internal static class AccountEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/accounts", SignUpAsync);
        app.MapPost("/account/token", RotateAsync).AddEndpointFilter(Authentication.RequireToken);
        app.MapGet("/account", ShowAsync).AddEndpointFilter(Authentication.RequireTokenOrSession);
        app.MapGet("/billing-portal", PortalAsync).AddEndpointFilter(Authentication.RequireTokenOrSession);
        app.MapPost("/session", (HttpContext context) =>
        {
            context.Response.Cookies.Append(Authentication.SessionCookie, context.Request.Headers[Authentication.Header].ToString(),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", Secure = context.Request.IsHttps });
            return Results.NoContent();
        }).AddEndpointFilter(Authentication.RequireToken);
    }

    private static async Task<IResult> SignUpAsync(HttpContext context, AccountService accounts, ILogger<AccountService> logger)
    {
        (JsonDocument? document, IResult? error) = await RequestBody.ReadAsync(context.Request).ConfigureAwait(false);
        if (document is null)
        {
            return error!;
        }

        SignUpRequest? request;
        var errors = new FieldErrors();
        using (document)
        {
            request = SignUpRequest.Parse(document.RootElement, errors);
        }

        if (request is null)
        {
            return Judge0Results.Invalid(errors);
        }

        SignUpResult result;
        try
        {
            result = await accounts.SignUpAsync(request, context.RequestAborted).ConfigureAwait(false);
        }
        catch (PaygenticException e)
        {
            // The message names the operation and status, never the API key.
            return Judge0Results.Error(StatusCodes.Status502BadGateway, "the billing provider refused the sign-up: " + e.GetType().Name);
        }

        if (result.IsDuplicate)
        {
            return Judge0Results.Error(StatusCodes.Status409Conflict, "an account with this email already exists");
        }

        AccountRecord account = result.Account!;
        ServerLog.SignedUp(logger, account.Id, account.CustomerId!, account.SubscriptionId!);
        return Judge0Results.Json(new JsonObject
        {
            ["id"] = account.Id,
            ["email"] = account.Email,
            ["api_token"] = result.Token,
            ["checkout_url"] = result.CheckoutUrl?.ToString(),
            ["plan"] = account.PlanId,
            ["state"] = result.CheckoutUrl is null ? "active" : "pending_payment",
        }, StatusCodes.Status201Created);
    }

    private static async Task<IResult> RotateAsync(HttpContext context, AccountService accounts)
    {
        string? token = await accounts.RotateAsync(Authentication.Account(context), context.RequestAborted).ConfigureAwait(false);
        return token is null
            ? Judge0Results.Error(StatusCodes.Status409Conflict, "the token was rotated concurrently; use the newest one")
            : Judge0Results.Json(new JsonObject { ["api_token"] = token });
    }

    private static async Task<IResult> ShowAsync(HttpContext context, AccountService accounts, SubmissionStore submissions, ServerSettings settings)
    {
        AccountRecord account = Authentication.Account(context);
        SubscriptionStatus? status = await accounts.SubscriptionStatusAsync(account, context.RequestAborted).ConfigureAwait(false);
        bool active = status == SubscriptionStatus.Active;
        long spend = await submissions.SpendAsync(account.Id, context.RequestAborted).ConfigureAwait(false);
        return Judge0Results.Json(new JsonObject
        {
            ["id"] = account.Id,
            ["name"] = account.Name,
            ["email"] = account.Email,
            ["plan"] = account.PlanId,
            // Paygentic's ids are not secrets; support and the user's own reconciliation need them.
            ["customer_id"] = account.CustomerId,
            ["subscription_id"] = account.SubscriptionId,
            ["billing"] = settings.Billing.ToString().ToLowerInvariant(),
            ["state"] = status?.Value,
            ["checkout_url"] = active ? null : account.CheckoutUrl?.ToString(),
            ["prefund_usd"] = settings.Catalogue.PrefundUsd.ToString(CultureInfo.InvariantCulture),
            ["spend_usd"] = new Nanodollars(spend).ToUsd().ToString(CultureInfo.InvariantCulture),
            ["spend_nanodollars"] = spend,
            ["submissions"] = await submissions.CountAsync(account.Id, context.RequestAborted).ConfigureAwait(false),
            ["billing_portal_url"] = $"{context.Request.Scheme}://{context.Request.Host}/billing-portal",
        });
    }

    private static async Task<IResult> PortalAsync(HttpContext context, AccountService accounts)
    {
        Uri link = await accounts.PortalLinkAsync(Authentication.Account(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store"; // every visit gets a fresh link
        return Results.Redirect(link.ToString(), permanent: false);
    }
}
