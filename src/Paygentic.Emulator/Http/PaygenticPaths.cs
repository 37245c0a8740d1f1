namespace Paygentic.Emulator.Http;

/// <summary>Tells the Paygentic API (bearer auth, faults) apart from the emulator's own <c>/_emulator/</c> paths.</summary>
internal static class PaygenticPaths
{
    public const string Admin = "/_emulator";

    public static bool IsPaygentic(PathString path) =>
        path.StartsWithSegments("/v0", StringComparison.Ordinal) ||
        path.StartsWithSegments("/v1", StringComparison.Ordinal) ||
        path.StartsWithSegments("/v2", StringComparison.Ordinal);
}
