using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>
/// The faults both soaks run under, on every API path: ≈20 % 5xx, 5 % 429 with Retry-After, 5 % dropped after the
/// charge is applied, 2 % stalls. Each soak passes its own seed, so each has its own repeatable sequence.
/// </summary>
internal static class SoakFaults
{
    public static EmulatorFaults WithSeed(int seed) => new()
    {
        Seed = seed,
        Error500Rate = 0.10,
        Error503Rate = 0.10,
        Error429Rate = 0.05,
        RetryAfterSeconds = 1,
        AbortAfterRate = 0.05,
        TimeoutRate = 0.02,
        TimeoutMs = 3000,
    };
}
