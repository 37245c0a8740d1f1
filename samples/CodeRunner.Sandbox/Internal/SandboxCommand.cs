using System.Globalization;
using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// Builds the argument vector of one sandboxed step. Every tool execs the next, so the chain costs no extra processes:
/// <code>
/// unshare (namespaces) → job meter (PID 1: forks, waits, measures) → setpriv (uid drop) → prlimit (rlimits)
///   → env -i (empty environment) → program
/// </code>
/// The order matters: the uid is dropped before the rlimits apply, because RLIMIT_NPROC is checked against the real
/// uid's process count and is ignored for root.
/// </summary>
internal sealed class SandboxCommand
{
    /// <summary>PATH given to the user's program: the system directories only.</summary>
    public const string SandboxPath = "/usr/local/bin:/usr/bin:/bin";

    private readonly SandboxTools _tools;
    private readonly JobMeter _meter;

    public SandboxCommand(SandboxTools tools, JobMeter meter)
    {
        _tools = tools;
        _meter = meter;
    }

    public IReadOnlyList<string> Build(
        IsolationLevel isolation,
        int? sandboxUid,
        JobLimits limits,
        string metaPath,
        string box,
        IEnumerable<string> program)
    {
        var inner = new List<string>();
        if (sandboxUid is int uid)
        {
            // Real, effective and saved ids all change, so no capability survives; no_new_privs stops setuid binaries
            // from giving any back, and the bounding set is emptied for good measure.
            inner.AddRange(
            [
                _tools.Setpriv!, $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--no-new-privs",
                "--inh-caps=-all", "--bounding-set=-all", "--",
            ]);
        }

        long asBytes = limits.AddressSpaceKb * 1024;
        long fsizeBytes = limits.FileSizeKb * 1024;
        long stackBytes = JobLimits.StackKb * 1024;
        inner.AddRange(
        [
            _tools.Prlimit,
            // Soft CPU limit sends SIGXCPU, the hard one (a second later) SIGKILL for programs that catch SIGXCPU.
            Invariant($"--cpu={limits.CpuSeconds}:{limits.CpuSeconds + 1}"),
            Invariant($"--as={asBytes}:{asBytes}"),
            Invariant($"--fsize={fsizeBytes}:{fsizeBytes}"),
            Invariant($"--nproc={limits.Processes}:{limits.Processes}"),
            Invariant($"--stack={stackBytes}:{stackBytes}"),
            Invariant($"--nofile={JobLimits.OpenFiles}:{JobLimits.OpenFiles}"),
            "--core=0:0",
            "--",
            // The program's whole environment: nothing of ours (API keys, tokens, proxies) is inherited.
            _tools.Env, "-i",
            "PATH=" + SandboxPath,
            "HOME=" + box,
            "TMPDIR=" + box,
            "LANG=C.UTF-8",
            // No "--" here: env would take it for the command. The program path never contains '='.
        ]);
        inner.AddRange(program);

        IReadOnlyList<string> metered = _meter.Wrap(metaPath, limits.Wall, inner);
        return isolation switch
        {
            // --kill-child: if unshare dies (our process crashed, or we killed it), the kernel SIGKILLs the meter,
            // the namespace's PID 1, and with it the whole namespace.
            IsolationLevel.NamespacesAndUidDrop =>
                [_tools.Unshare!, "--pid", "--fork", "--net", "--mount", "--mount-proc", "--kill-child", "--", .. metered],
            IsolationLevel.UserNamespace =>
                [_tools.Unshare!, "--user", "--map-root-user", "--pid", "--fork", "--net", "--mount", "--mount-proc", "--kill-child", "--", .. metered],
            _ => metered,
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Absolute paths of the util-linux and coreutils tools the sandbox is built from.</summary>
internal sealed record SandboxTools(string? Unshare, string? Setpriv, string Prlimit, string Env)
{
    [SupportedOSPlatform("linux")]
    public static SandboxTools? Find()
    {
        string? prlimit = Toolchain.Find("prlimit");
        string? env = Toolchain.Find("env");
        return prlimit is null || env is null ? null : new SandboxTools(Toolchain.Find("unshare"), Toolchain.Find("setpriv"), prlimit, env);
    }
}
