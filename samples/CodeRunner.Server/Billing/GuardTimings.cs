using System.Collections.Concurrent;
using System.Diagnostics;

namespace CodeRunner.Server.Billing;

/// <summary>
/// Time each submission spends inside the guard's calls (authorize + complete), measured in-process, for the
/// benchmark's <c>server_metering_added_p50_us</c>. Keeps the latest samples only.
/// </summary>
internal sealed class GuardTimings
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<string, long> _authorizeTicks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<long> _samples = new();
    private readonly ConcurrentQueue<long> _authorizeSamples = new();
    private readonly ConcurrentQueue<long> _completeSamples = new();

    public void Authorized(string token, long elapsedTicks) => _authorizeTicks[token] = elapsedTicks;

    public void Completed(string token, long elapsedTicks)
    {
        long authorize = _authorizeTicks.TryRemove(token, out long ticks) ? ticks : 0;
        Add(_samples, authorize + elapsedTicks);
        Add(_authorizeSamples, authorize);
        Add(_completeSamples, elapsedTicks);
    }

    public void Forget(string token) => _authorizeTicks.TryRemove(token, out _);

    /// <summary>How many submissions were timed, and the p50 of the whole, of the authorization and of the completion.</summary>
    public (int Count, double P50Microseconds, double AuthorizeP50Microseconds, double CompleteP50Microseconds) Snapshot()
    {
        long[] samples = [.. _samples];
        return (samples.Length, P50(samples), P50([.. _authorizeSamples]), P50([.. _completeSamples]));
    }

    public void Reset()
    {
        _samples.Clear();
        _authorizeSamples.Clear();
        _completeSamples.Clear();
    }

    private static void Add(ConcurrentQueue<long> queue, long ticks)
    {
        queue.Enqueue(ticks);
        while (queue.Count > Capacity && queue.TryDequeue(out _))
        {
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
