using System.Text.Json.Serialization;

namespace Paygentic.Emulator.Faults;

/// <summary>
/// Fault injection for reliability tests. All rates are probabilities in [0, 1]; the outcome rates
/// (500, 503, 429, timeout, abort before, abort after) are exclusive and must add up to at most 1, while latency
/// is rolled on its own and adds to whatever else happens. Decisions come from <c>new Random(Seed)</c>, so the
/// same sequence of requests meets the same faults on every run. Faults apply only to Paygentic paths, never to
/// <c>/_emulator/</c>.
/// </summary>
public sealed class FaultSettings
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

    /// <summary>Added delay in milliseconds (measured on the emulator's <see cref="TimeProvider"/>).</summary>
    public int LatencyMs { get; set; }

    /// <summary>Share of requests that hang for <see cref="TimeoutMs"/> and are then dropped unprocessed.</summary>
    public double TimeoutRate { get; set; }

    /// <summary>How long a "timeout" request hangs: longer than the client's per-attempt timeout.</summary>
    public int TimeoutMs { get; set; } = 30_000;

    /// <summary>Share of requests whose connection is aborted before they are processed.</summary>
    public double AbortBeforeRate { get; set; }

    /// <summary>
    /// Share of requests that are processed (the charge or other change is applied) and whose connection is then
    /// aborted without any response: the case that tests exactly-once delivery.
    /// </summary>
    public double AbortAfterRate { get; set; }

    /// <summary>When set, only paths starting with this prefix (e.g. <c>/v0/usage</c>) get faults.</summary>
    public string? PathPrefix { get; set; }

    /// <summary>Whether any fault can happen at all.</summary>
    [JsonIgnore]
    public bool IsActive =>
        Error500Rate > 0 || Error503Rate > 0 || Error429Rate > 0 || TimeoutRate > 0 || AbortBeforeRate > 0 || AbortAfterRate > 0 ||
        (LatencyRate > 0 && LatencyMs > 0);

    /// <summary>A copy, so a running injector never sees a caller's later edits.</summary>
    public FaultSettings Clone() => (FaultSettings)MemberwiseClone();

    /// <summary>A description of what is wrong with these settings, or null when they are usable.</summary>
    public string? Problem()
    {
        double[] rates = [Error500Rate, Error503Rate, Error429Rate, LatencyRate, TimeoutRate, AbortBeforeRate, AbortAfterRate];
        if (rates.Any(r => double.IsNaN(r) || r < 0 || r > 1))
        {
            return "every rate must be between 0 and 1";
        }

        if (Error500Rate + Error503Rate + Error429Rate + TimeoutRate + AbortBeforeRate + AbortAfterRate > 1.000001)
        {
            return "the outcome rates (500, 503, 429, timeout, abortBefore, abortAfter) must add up to at most 1";
        }

        return RetryAfterSeconds < 0 || LatencyMs < 0 || TimeoutMs < 0 ? "retryAfterSeconds, latencyMs and timeoutMs must not be negative" : null;
    }
}
