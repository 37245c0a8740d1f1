using Microsoft.AspNetCore.Routing;

namespace Paygentic.Emulator.Http;

/// <summary>
/// Tells the Paygentic API (bearer auth, faults) apart from the emulator's own <c>/_emulator/</c> paths.
/// Routing matches paths case-insensitively, so every check here ignores case too: otherwise <c>/V0/customers</c>
/// would reach a handler without passing auth, and <c>/_EMULATOR/reset</c> would slip past the loopback guard.
/// </summary>
internal static class PaygenticPaths
{
    public const string Admin = "/_emulator";

    private static readonly string[] ApiPrefixes = ["/v0", "/v1", "/v2"];

    /// <summary>Whether the request is for the Paygentic API, by its path or by the endpoint routing picked for it.</summary>
    public static bool IsPaygentic(HttpContext context) =>
        IsPaygentic(context.Request.Path) || (MatchedPattern(context) is { } pattern && IsPaygentic(pattern));

    /// <summary>Whether the request is for an <c>/_emulator/</c> path, by its path or by the endpoint routing picked for it.</summary>
    public static bool IsAdmin(HttpContext context) =>
        IsAdmin(context.Request.Path) || (MatchedPattern(context) is { } pattern && IsAdmin(pattern));

    public static bool IsPaygentic(PathString path)
    {
        var trimmed = CollapseLeadingSlashes(path);
        foreach (var prefix in ApiPrefixes)
        {
            if (trimmed.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsAdmin(PathString path) => CollapseLeadingSlashes(path).StartsWithSegments(Admin, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The route template of the endpoint routing matched (routing runs before the emulator's middleware), so a path
    /// spelled in a way the prefix check does not foresee is still classified by where it would actually go.
    /// </summary>
    private static PathString? MatchedPattern(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } raw } ? new PathString(raw.StartsWith('/') ? raw : "/" + raw) : null;

    /// <summary><c>//_emulator/reset</c> names the same resource as <c>/_emulator/reset</c> to many proxies and clients.</summary>
    private static PathString CollapseLeadingSlashes(PathString path)
    {
        var value = path.Value;
        if (value is null || !value.StartsWith("//", StringComparison.Ordinal))
        {
            return path;
        }

        return new PathString("/" + value.TrimStart('/'));
    }
}
