using System.Diagnostics;
using System.Globalization;

namespace Paygentic.Sdk.WireBench;

/// <summary>What one timed run of many operations cost this process.</summary>
internal readonly record struct RunCost(int Operations, TimeSpan Wall, TimeSpan Cpu, long AllocatedBytes)
{
    public double CpuMicrosPerOp => Cpu.TotalMicroseconds / Operations;

    public double OpsPerSecond => Operations / Wall.TotalSeconds;

    public double BytesPerOp => (double)AllocatedBytes / Operations;

    /// <summary>Garbage collections during the run (gen0/gen1/gen2, pause), for diagnosis.</summary>
    public string Collections { get; init; } = string.Empty;
}

/// <summary>Runs operations with a number of concurrent callers, bounded in time, and measures process CPU time.</summary>
internal static class Measure
{
    /// <summary>Runs <paramref name="total"/> operations (fewer if <paramref name="bound"/> is reached first; <paramref name="quiet"/> for time-boxed warm-ups).</summary>
    public static async Task<RunCost> RunAsync(int total, int callers, TimeSpan bound, Func<long, Task> operation, bool quiet = false)
    {
        var next = -1L;
        var done = 0;
        var before = Snapshot();
        var watch = Stopwatch.StartNew();
        var workers = new Task[callers];
        for (var c = 0; c < callers; c++)
        {
            workers[c] = Task.Run(async () =>
            {
                long i;
                while ((i = Interlocked.Increment(ref next)) < total && watch.Elapsed < bound)
                {
                    await operation(i).ConfigureAwait(false);
                    Interlocked.Increment(ref done);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        watch.Stop();
        var after = Snapshot();
        if (done < total && !quiet)
        {
            Note($"time bound {bound.TotalSeconds:F0} s reached after {done} of {total} operations");
        }

        return new RunCost(done, watch.Elapsed, after.Cpu - before.Cpu, after.Allocated - before.Allocated) { Collections = Collections(before) };
    }

    /// <summary>
    /// Runs one-second windows until the JIT has stopped compiling (no method compiled in the last window) and two
    /// windows in a row cost the same CPU per operation (within 10 %), at least 3 s and at most <paramref name="max"/>.
    /// Tiered compilation keeps recompiling hot methods for seconds (longer with many callers, and longer for a client
    /// with more layers than the floor): two equally slow windows still in tier-0 code once passed for "settled".
    /// </summary>
    public static async Task WarmUpAsync(int callers, TimeSpan max, Func<long, Task> operation)
    {
        var watch = Stopwatch.StartNew();
        var previous = double.NaN;
        var offset = 0L;
        while (watch.Elapsed < max)
        {
            var start = offset;
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            var window = await RunAsync(int.MaxValue, callers, TimeSpan.FromSeconds(1), i => operation(start + i), quiet: true).ConfigureAwait(false);
            var jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled;
            offset += window.Operations;
            var cost = window.CpuMicrosPerOp;
            if (watch.Elapsed >= TimeSpan.FromSeconds(3) && jitted == 0 && Math.Abs(cost - previous) <= 0.1 * previous)
            {
                Note($"warmed up after {watch.Elapsed.TotalSeconds:F0} s ({offset} operations, {cost:F1} us CPU/op)");
                return;
            }

            previous = cost;
        }

        Note($"warm-up stopped at its {max.TotalSeconds:F0} s bound before settling ({offset} operations)");
    }

    /// <summary>Process CPU time (all threads: the SDK's background work counts) and bytes allocated so far.</summary>
    public static (TimeSpan Cpu, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Pause) Snapshot()
    {
        using var process = Process.GetCurrentProcess();
        return (process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    }

    /// <summary>Collections and GC pause since <paramref name="before"/> was taken (counts are cumulative per generation).</summary>
    public static string Collections((TimeSpan Cpu, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Pause) before) =>
        $"gen0 {GC.CollectionCount(0) - before.Gen0} gen1 {GC.CollectionCount(1) - before.Gen1} gen2 {GC.CollectionCount(2) - before.Gen2} pause {(GC.GetTotalPauseDuration() - before.Pause).TotalMilliseconds:F0} ms";

    /// <summary>The process's peak resident set (VmHWM) in MB.</summary>
    public static double PeakRssMb()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    public static void Sample(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sample {name} {value:0.###}"));

    public static void Note(string text) => Console.Error.WriteLine(text);

    /// <summary>The q-quantile (0..1) of sorted values, nearest rank.</summary>
    public static double Quantile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
