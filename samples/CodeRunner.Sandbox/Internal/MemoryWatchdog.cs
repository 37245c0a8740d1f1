using System.Globalization;
using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// Bounds a job's memory as a whole where no cgroup can be created: every few milliseconds it sums the resident memory
/// of the job's processes (the meter's descendants, found through /proc) and, once the sum passes the limit, kills
/// them all. The meter survives, reaps them and reports the CPU time they used, so the bill stays exact.
/// Each process counts its proportional share of resident pages (PSS): twenty forks of one interpreter share most of
/// their pages, and summing plain RSS would count those pages twenty times.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class MemoryWatchdog : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly long _limitKb;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _timeProvider;
    private Task _loop = Task.CompletedTask;
    private volatile bool _exceeded;

    public MemoryWatchdog(long limitKb, TimeProvider timeProvider)
    {
        _limitKb = limitKb;
        _timeProvider = timeProvider;
    }

    /// <summary>True once the watchdog killed the job for memory.</summary>
    public bool Exceeded => _exceeded;

    /// <summary>The highest sum it saw, in KB.</summary>
    public long PeakKb { get; private set; }

    /// <summary>Starts watching the job under <paramref name="launcherPid"/> (bubblewrap's monitor, whose only child is the
    /// meter).</summary>
    public void Watch(int launcherPid) => _loop = Task.Run(() => LoopAsync(launcherPid));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped with the job.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(int launcherPid)
    {
        using var timer = new PeriodicTimer(Interval, _timeProvider);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            try
            {
                Check(launcherPid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // /proc changes under us as processes come and go: this sample is lost, the next one is taken.
            }
        }
    }

    private void Check(int launcherPid)
    {
        Dictionary<int, List<int>> children = ProcessTable.Children();
        List<int> job = [];
        foreach (int meter in children.GetValueOrDefault(launcherPid) ?? [])
        {
            ProcessTable.CollectDescendants(children, meter, job);
        }

        long rssKb = job.Sum(ProcessTable.ProportionalResidentKb);
        PeakKb = Math.Max(PeakKb, rssKb);
        if (rssKb > _limitKb)
        {
            _exceeded = true;
            foreach (int pid in job)
            {
                ProcessTable.Kill(pid);
            }
        }
    }
}

/// <summary>Reads the host's process table from /proc.</summary>
[SupportedOSPlatform("linux")]
internal static class ProcessTable
{
    /// <summary>Every live process's children, by parent PID.</summary>
    public static Dictionary<int, List<int>> Children()
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                || ParentOf(directory) is not int parent)
            {
                continue;
            }

            if (!children.TryGetValue(parent, out List<int>? list))
            {
                children[parent] = list = [];
            }

            list.Add(pid);
        }

        return children;
    }

    public static void CollectDescendants(Dictionary<int, List<int>> children, int pid, List<int> into)
    {
        foreach (int child in children.GetValueOrDefault(pid) ?? [])
        {
            into.Add(child);
            CollectDescendants(children, child, into);
        }
    }

    /// <summary>The process's proportional set size (PSS), in KB, or 0 once it is gone.</summary>
    public static long ProportionalResidentKb(int pid)
    {
        foreach (string line in (TryRead($"/proc/{pid}/smaps_rollup") ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith("Pss:", StringComparison.Ordinal))
            {
                return long.TryParse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb : 0;
            }
        }

        return 0;
    }

    public static void Kill(int pid) => _ = NativeMethods.Kill(pid, NativeMethods.SigKill);

    private static int? ParentOf(string procDirectory)
    {
        // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so parse after the last ')'.
        string? stat = TryRead(Path.Combine(procDirectory, "stat"));
        int paren = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || paren < 0)
        {
            return null;
        }

        string[] fields = stat[(paren + 2)..].Split(' ');
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid) ? ppid : null;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // The process exited while we looked.
        }
    }
}
