using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Containment;

/// <summary>Runs alone, so that "no process of any sandbox uid is left" is not confused by other tests' jobs.</summary>
[CollectionDefinition(nameof(HostState), DisableParallelization = true)]
public sealed class HostStateRunsAlone;

/// <summary>What a job may have left on the host, read from the host's side.</summary>
internal static class HostState
{
    /// <summary>Asserts that no trace of the job named by <paramref name="token"/> is left anywhere it could write.</summary>
    public static void ShouldHaveNothingLeftBehind(string token)
    {
        var options = TestSandbox.Environment.Options;
        SandboxProcesses.OwnedByUids(options.SandboxUidBase, options.SandboxUidCount).Should().BeEmpty("no process of a job outlives it");
        File.Exists(Path.Combine("/dev/shm", token)).Should().BeFalse("the job's /dev/shm was its own tmpfs");
        File.Exists(Path.Combine(Path.GetTempPath(), token)).Should().BeFalse("the job's /tmp was its own tmpfs");
        File.Exists(Path.Combine("/tmp", token)).Should().BeFalse("the job's /tmp was its own tmpfs");
        SysVKeys("/proc/sysvipc/shm").Should().NotContain(Key(token), "SysV shared memory died with the job's IPC namespace");
        SysVKeys("/proc/sysvipc/msg").Should().NotContain(Key(token), "SysV message queues died with the job's IPC namespace");
    }

    /// <summary>The SysV IPC key a hostile program derives from the token (the same arithmetic in Python).</summary>
    public static int Key(string token) => token.Aggregate(7, (hash, c) => unchecked((hash * 31) + c) & 0x7fffffff);

    private static List<int> SysVKeys(string table) =>
        File.Exists(table)
            ? [.. File.ReadLines(table).Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length > 0 && int.TryParse(fields[0], out _)).Select(fields => int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture))]
            : [];
}
