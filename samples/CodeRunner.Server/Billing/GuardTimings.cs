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

    public void Authorized(string token, long elapsedTicks) => _authorizeTicks[token] = elapsedTicks;

    public void Completed(string token, long elapsedTicks)
    {
        long authorize = _authorizeTicks.TryRemove(token, out long ticks) ? ticks : 0;
        _samples.Enqueue(authorize + elapsedTicks);
        while (_samples.Count > Capacity && _samples.TryDequeue(out _))
        {
        }
    }

    public void Forget(string token) => _authorizeTicks.TryRemove(token, out _);

    public (int Count, double P50Microseconds) Snapshot()
    {
        long[] samples = [.. _samples];
        if (samples.Length == 0)
        {
            return (0, 0);
        }

        Array.Sort(samples);
        return (samples.Length, samples[samples.Length / 2] * 1_000_000.0 / Stopwatch.Frequency);
    }

    public void Reset() => _samples.Clear();
}
