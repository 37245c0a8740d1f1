using System.Globalization;
using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// A cgroup v1 <c>memory</c> + <c>pids</c> group for one job: the memory limit bounds the job as a whole (every
/// process, and its tmpfs files), the pids limit its processes and threads. The launcher moves itself into both groups
/// before anything of the job exists, so every process of the job is counted from its first instruction.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class JobCgroup : IDisposable
{
    private const string MemoryHierarchy = "/sys/fs/cgroup/memory";
    private const string PidsHierarchy = "/sys/fs/cgroup/pids";
    private const string Parent = "coderunner";

    private readonly string _memory;
    private readonly string _pids;

    private JobCgroup(string memory, string pids)
    {
        _memory = memory;
        _pids = pids;
    }

    /// <summary>The <c>cgroup.procs</c> files the launcher writes its PID to.</summary>
    public IReadOnlyList<string> ProcFiles => [Path.Combine(_memory, "cgroup.procs"), Path.Combine(_pids, "cgroup.procs")];

    /// <summary>
    /// Whether this host lets us create job groups: as root, with the v1 memory and pids hierarchies mounted. Creates
    /// the sample's parent groups. Returns the reason when not.
    /// </summary>
    public static string? Probe()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return "cgroups need root";
        }

        try
        {
            // The root groups have no limit files; the sample's parent groups do when both hierarchies are v1 mounts.
            string memory = Path.Combine(MemoryHierarchy, Parent);
            string pids = Path.Combine(PidsHierarchy, Parent);
            if (!Directory.Exists(MemoryHierarchy) || !Directory.Exists(PidsHierarchy))
            {
                return $"no cgroup v1 memory and pids hierarchies at {MemoryHierarchy} and {PidsHierarchy}";
            }

            Directory.CreateDirectory(memory);
            Directory.CreateDirectory(pids);
            return File.Exists(Path.Combine(memory, "memory.limit_in_bytes")) && File.Exists(Path.Combine(pids, "pids.max"))
                ? null
                : $"{MemoryHierarchy} and {PidsHierarchy} are not cgroup v1 memory and pids hierarchies";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "cannot create a cgroup: " + ex.Message;
        }
    }

    /// <summary>Creates the job's groups with their limits.</summary>
    /// <exception cref="SandboxFailureException">The kernel refused a group or a limit.</exception>
    public static JobCgroup Create(string jobName, long memoryKb, int processes)
    {
        var group = new JobCgroup(Path.Combine(MemoryHierarchy, Parent, jobName), Path.Combine(PidsHierarchy, Parent, jobName));
        try
        {
            Directory.CreateDirectory(group._memory);
            Directory.CreateDirectory(group._pids);
            string bytes = (memoryKb * 1024).ToString(CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(group._memory, "memory.limit_in_bytes"), bytes);
            // With swap accounting, memory + swap gets the same limit: the job cannot page its way past it.
            string memsw = Path.Combine(group._memory, "memory.memsw.limit_in_bytes");
            if (File.Exists(memsw))
            {
                File.WriteAllText(memsw, bytes);
            }

            File.WriteAllText(Path.Combine(group._pids, "pids.max"), processes.ToString(CultureInfo.InvariantCulture));
            return group;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            group.Dispose();
            throw new SandboxFailureException($"Could not set up the job's cgroup: {ex.Message}", ex);
        }
    }

    /// <summary>Whether the kernel killed a process of the job for memory (the group's OOM kill counter).</summary>
    public bool OomKilled() =>
        ReadKeyed(Path.Combine(_memory, "memory.oom_control"), "oom_kill") > 0;

    /// <summary>The job's peak memory, in KB (every process together, tmpfs files included).</summary>
    public long PeakKb() => ReadNumber(Path.Combine(_memory, "memory.max_usage_in_bytes")) / 1024;

    /// <summary>
    /// Removes both groups. Once the job's PID namespace is gone they are empty; if the executor had to kill the
    /// launcher (a meter that hung), what is still in the group is killed here, so nothing of the job outlives it. The
    /// kernel may take a moment to release the last task, so a busy group is tried again, for a few seconds at most.
    /// </summary>
    /// <exception cref="IOException">A group stayed busy: the executor reports that job as a sandbox failure.</exception>
    public void Dispose()
    {
        foreach (string path in new[] { _memory, _pids })
        {
            for (int attempt = 0; Directory.Exists(path); attempt++)
            {
                try
                {
                    Directory.Delete(path);
                }
                catch (IOException) when (attempt < 300)
                {
                    KillMembers(path);
                    Thread.Sleep(10);
                }
            }
        }
    }

    private static void KillMembers(string group)
    {
        try
        {
            foreach (string line in File.ReadLines(Path.Combine(group, "cgroup.procs")))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    ProcessTable.Kill(pid);
                }
            }
        }
        catch (IOException)
        {
            // The group went away meanwhile.
        }
    }

    private static long ReadNumber(string path) =>
        long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : 0;

    private static long ReadKeyed(string path, string key)
    {
        foreach (string line in File.ReadLines(path))
        {
            string[] parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }
        }

        return 0;
    }
}
