using Paygentic.Emulator.Faults;

namespace Paygentic.Sdk.Testing;

/// <summary>
/// Fault injection for a <see cref="PaygenticEmulator"/>: each rate is the share of requests (0 to 1) that get that
/// fault, picked by a seeded random sequence so a test sees the same faults on every run.
/// </summary>
public sealed class EmulatorFaults
{
    /// <summary>Seed of the random sequence that picks faults.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Share of requests answered 500 without being processed.</summary>
    public double Error500Rate { get; set; }

    /// <summary>Share of requests answered 503 (with <c>Retry-After</c>) without being processed.</summary>
    public double Error503Rate { get; set; }

    /// <summary>Share of requests answered 429 with <c>Retry-After</c> without being processed.</summary>
    public double Error429Rate { get; set; }

    /// <summary>The <c>Retry-After</c> value, in seconds, sent with 429 and 503.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Share of requests that get <see cref="LatencyMs"/> of added delay before anything else.</summary>
    public double LatencyRate { get; set; }

    /// <summary>Added delay in milliseconds (measured on the emulator's clock).</summary>
    public int LatencyMs { get; set; }

    /// <summary>Share of requests that hang for <see cref="TimeoutMs"/> and are then dropped unprocessed.</summary>
    public double TimeoutRate { get; set; }

    /// <summary>How long a "timeout" request hangs: longer than the client's per-attempt timeout.</summary>
    public int TimeoutMs { get; set; } = 30_000;

    /// <summary>Share of requests whose connection is aborted before they are processed.</summary>
    public double AbortBeforeRate { get; set; }

    /// <summary>
    /// Share of requests that are processed (the charge is applied) and whose answer is then lost: the case that
    /// tests exactly-once delivery.
    /// </summary>
    public double AbortAfterRate { get; set; }

    /// <summary>When set, only paths starting with this prefix (e.g. <c>/v0/usage</c>) get faults.</summary>
    public string? PathPrefix { get; set; }

    internal FaultSettings ToSettings() => new()
    {
        Seed = Seed,
        Error500Rate = Error500Rate,
        Error503Rate = Error503Rate,
        Error429Rate = Error429Rate,
        RetryAfterSeconds = RetryAfterSeconds,
        LatencyRate = LatencyRate,
        LatencyMs = LatencyMs,
        TimeoutRate = TimeoutRate,
        TimeoutMs = TimeoutMs,
        AbortBeforeRate = AbortBeforeRate,
        AbortAfterRate = AbortAfterRate,
        PathPrefix = PathPrefix,
    };
}
