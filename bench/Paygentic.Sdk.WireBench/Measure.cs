using System.Diagnostics;
using System.Globalization;

namespace Paygentic.Sdk.WireBench;

/// <summary>What one timed run of many operations cost this process.</summary>
internal readonly record struct RunCost(int Operations, TimeSpan Wall, TimeSpan Cpu, long AllocatedBytes)
{
    public double CpuMicrosPerOp => Cpu.TotalMicroseconds / Operations;

    public double OpsPerSecond => Operations / Wall.TotalSeconds;

    public double BytesPerOp => (double)AllocatedBytes / Operations;
}

/// <summary>Runs operations with a number of concurrent callers, bounded in time, and measures process CPU time.</summary>
internal static class Measure
{
    /// <summary>Runs <paramref name="total"/> operations (fewer if <paramref name="bound"/> is reached first).</summary>
    public static async Task<RunCost> RunAsync(int total, int callers, TimeSpan bound, Func<long, Task> operation)
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
        if (done < total)
        {
            Note($"time bound {bound.TotalSeconds:F0} s reached after {done} of {total} operations");
        }

        return new RunCost(done, watch.Elapsed, after.Cpu - before.Cpu, after.Allocated - before.Allocated);
    }

    /// <summary>Process CPU time (all threads: the SDK's background work counts) and bytes allocated so far.</summary>
    public static (TimeSpan Cpu, long Allocated) Snapshot()
    {
        using var process = Process.GetCurrentProcess();
        return (process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));
    }

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
