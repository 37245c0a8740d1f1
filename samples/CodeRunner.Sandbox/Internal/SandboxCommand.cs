using System.Globalization;
using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>How the box appears to one step.</summary>
internal enum BoxMode
{
    /// <summary>The job directory's box itself, writable (the compile step writes the executable there).</summary>
    Writable,

    /// <summary>
    /// A fresh tmpfs at the box path, with each file of the job directory's box bound read-only into it (the run
    /// step): what the program writes lives in memory, is bounded in size and dies with the job.
    /// </summary>
    PrivateTmpfs,
}

/// <summary>
/// Builds the argument vector of one step. Every tool execs the next, so the chain costs no extra processes:
/// <code>
/// sh (opens the meter's report as fd 3, joins the job's cgroups) → nice → setpriv (the job's uid, when root)
///   → bwrap (namespaces, private root) → job meter (PID 1: rlimits, waits, measures) → program
/// </code>
/// bubblewrap starts as the job's uid, not as root: started as root with a user namespace it would map the job to
/// root outside, where per-uid limits such as RLIMIT_NPROC do not apply.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class SandboxCommand
{
    /// <summary>PATH given to the user's program: the system directories only.</summary>
    public const string SandboxPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>The niceness jobs run at (lower priority than the runner itself).</summary>
    public const string JobNiceness = "10";

    /// <summary>Processes of the job's uid that are not the program's: bubblewrap's monitor and the meter.</summary>
    public const int OverheadProcesses = 2;

    /// <summary>
    /// Opens the report (refusing an existing file), moves itself into each cgroup given before "--", then execs the
    /// rest. It runs with our privileges, before anything of the job exists.
    /// </summary>
    private const string Launcher =
        "set -eC; report=$1; shift; while [ \"$1\" != -- ]; do echo $$ >> \"$1\"; shift; done; shift; exec 3>\"$report\"; exec \"$@\"";

    private readonly SandboxTools _tools;
    private readonly string _meter;
    private readonly IReadOnlyList<string> _systemBinds;
    private readonly long _tmpfsBytes;

    public SandboxCommand(SandboxTools tools, JobMeter meter, long tmpfsBytes)
    {
        _tools = tools;
        _meter = meter.Executable;
        _systemBinds = tools.Bwrap is null ? [] : SandboxRoot.SystemBinds();
        _tmpfsBytes = tmpfsBytes;
    }

    public IReadOnlyList<string> Build(
        IsolationLevel isolation,
        int? sandboxUid,
        JobLimits limits,
        string reportPath,
        IReadOnlyList<string> cgroupProcFiles,
        string box,
        BoxMode boxMode,
        IEnumerable<string> program)
    {
        List<string> argv = [_tools.Sh, "-c", Launcher, "launcher", reportPath, .. cgroupProcFiles, "--"];
        if (_tools.Nice is { } nice)
        {
            // Jobs yield the CPU to the process that runs them: when they fill every core, requests, billing and the
            // scheduling of the next job still get their turn. Their CPU-time limits are unaffected.
            argv.AddRange([nice, "-n", JobNiceness]);
        }

        if (sandboxUid is int uid)
        {
            // Real, effective and saved ids all change, so no capability survives; no_new_privs stops setuid binaries
            // from giving any back, and the bounding set is emptied for good measure.
            argv.AddRange(
            [
                _tools.Setpriv!, $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--no-new-privs",
                "--inh-caps=-all", "--bounding-set=-all", "--",
            ]);
        }

        JobLimits meterLimits = limits with { Processes = limits.Processes + OverheadProcesses };
        if (isolation == IsolationLevel.Bubblewrap)
        {
            argv.AddRange(Bubblewrap(box, boxMode));
            argv.AddRange(JobMeter.Arguments(SandboxRoot.MeterPath, meterLimits, program));
        }
        else
        {
            // Unsandboxed: the environment is still emptied (nothing of ours, API keys included, is inherited).
            argv.AddRange([_tools.Env, "-i", "PATH=" + SandboxPath, "HOME=" + box, "TMPDIR=" + box, "LANG=C.UTF-8"]);
            argv.AddRange(JobMeter.Arguments(_meter, meterLimits, program));
        }

        return argv;
    }

    private List<string> Bubblewrap(string box, BoxMode boxMode)
    {
        string size = _tmpfsBytes.ToString(CultureInfo.InvariantCulture);
        List<string> args =
        [
            _tools.Bwrap!,
            // user, PID, network, IPC, UTS and cgroup namespaces; the job dies with us; no controlling terminal.
            "--unshare-all", "--die-with-parent", "--new-session", "--as-pid-1", "--hostname", "sandbox",
            .. _systemBinds,
            "--proc", "/proc",
            "--dev", "/dev",
            "--size", size, "--tmpfs", "/tmp",
            "--size", size, "--tmpfs", "/dev/shm",
            "--ro-bind", _meter, SandboxRoot.MeterPath,
        ];
        if (boxMode == BoxMode.Writable)
        {
            args.AddRange(["--bind", box, SandboxRoot.BoxPath]);
        }
        else
        {
            args.AddRange(["--size", size, "--perms", "0700", "--tmpfs", SandboxRoot.BoxPath]);
            foreach (string file in Directory.EnumerateFiles(box).Order(StringComparer.Ordinal))
            {
                args.AddRange(["--ro-bind", file, SandboxRoot.BoxPath + "/" + Path.GetFileName(file)]);
            }
        }

        args.AddRange(
        [
            // The root itself is a tmpfs bubblewrap made to hold the mount points: read-only too, so the box, /tmp and
            // /dev/shm are the only places the job can write.
            "--remount-ro", "/",
            "--chdir", SandboxRoot.BoxPath,
            // The program's whole environment: nothing of ours (API keys, tokens, proxies) is inherited.
            "--clearenv",
            "--setenv", "PATH", SandboxPath,
            "--setenv", "HOME", SandboxRoot.BoxPath,
            "--setenv", "TMPDIR", "/tmp",
            "--setenv", "LANG", "C.UTF-8",
            "--",
        ]);
        return args;
    }
}

/// <summary>Absolute paths of the tools the sandbox is built from.</summary>
internal sealed record SandboxTools(string Sh, string? Bwrap, string? Setpriv, string Env, string? Nice = null)
{
    [SupportedOSPlatform("linux")]
    public static SandboxTools? Find()
    {
        string? sh = Toolchain.Find("sh");
        string? env = Toolchain.Find("env");
        return sh is null || env is null ? null : new SandboxTools(sh, Toolchain.Find("bwrap"), Toolchain.Find("setpriv"), env, Toolchain.Find("nice"));
    }
}
