using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Http;

/// <summary>The authenticated merchant of a Paygentic request.</summary>
internal sealed record MerchantFeature(World World, MerchantState Merchant);

/// <summary>Bearer auth on every Paygentic path: the key picks the merchant; no key or an unknown key is a 401.</summary>
internal sealed class BearerAuthMiddleware(RequestDelegate next, EmulatorRuntime runtime)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!PaygenticPaths.IsPaygentic(context))
        {
            return next(context);
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        var world = runtime.World;
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || world.ByApiKey(header[scheme.Length..].Trim()) is not { } merchant)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Reply.Error(context, StatusCodes.Status401Unauthorized, "unauthorized", "Missing or invalid API key", "UNAUTHORIZED");
        }

        context.Features.Set(new MerchantFeature(world, merchant));
        return next(context);
    }
}

/// <summary>Accessors for handlers.</summary>
internal static class MerchantContext
{
    public static MerchantFeature Caller(this HttpContext context) =>
        context.Features.Get<MerchantFeature>() ?? throw new InvalidOperationException("Paygentic endpoint reached without authentication.");
}
