using System.Collections.Concurrent;
using System.Diagnostics;

namespace CodeRunner.Server.Billing;

/// <summary>
/// Time each submission spends inside the guard's calls (authorize + complete), measured in-process, for the
/// benchmark's <c>server_metering_added_p50_us</c>. Keeps the latest samples only, in fixed rings: recording one costs
/// the metered server (and so the measured overhead) a lock and three stores, nothing that grows with the count.
/// </summary>
internal sealed class GuardTimings
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<string, long> _authorizeTicks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly long[] _samples = new long[Capacity];
    private readonly long[] _authorizeSamples = new long[Capacity];
    private readonly long[] _completeSamples = new long[Capacity];
    private long _recorded;

    public void Authorized(string token, long elapsedTicks) => _authorizeTicks[token] = elapsedTicks;

    public void Completed(string token, long elapsedTicks)
    {
        long authorize = _authorizeTicks.TryRemove(token, out long ticks) ? ticks : 0;
        lock (_gate)
        {
            int slot = (int)(_recorded++ % Capacity);
            _samples[slot] = authorize + elapsedTicks;
            _authorizeSamples[slot] = authorize;
            _completeSamples[slot] = elapsedTicks;
        }
    }

    public void Forget(string token) => _authorizeTicks.TryRemove(token, out _);

    /// <summary>How many submissions were timed, and the p50 of the whole, of the authorization and of the completion.</summary>
    public (int Count, double P50Microseconds, double AuthorizeP50Microseconds, double CompleteP50Microseconds) Snapshot()
    {
        long[] samples, authorizeSamples, completeSamples;
        lock (_gate)
        {
            int count = (int)Math.Min(_recorded, Capacity);
            samples = _samples[..count];
            authorizeSamples = _authorizeSamples[..count];
            completeSamples = _completeSamples[..count];
        }

        return (samples.Length, P50(samples), P50(authorizeSamples), P50(completeSamples));
    }

    public void Reset()
    {
        lock (_gate)
        {
            _recorded = 0;
        }
    }

    private static double P50(long[] samples)
    {
        if (samples.Length == 0)
        {
            return 0;
        }

        Array.Sort(samples);
        return samples[samples.Length / 2] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
