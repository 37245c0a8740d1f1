namespace CodeRunner.Sandbox;

/// <summary>Settings of the sandbox executor. The defaults suit the sample.</summary>
public sealed record SandboxOptions
{
    /// <summary>Bytes of stdout and of stderr kept per run (and of compile output); the rest is drained and discarded.</summary>
    public int OutputCapBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Directory under which each job's private directory is created; defaults to the system temp directory. When running
    /// as root it must be searchable (x) by others, because bubblewrap, started as the job's uid, binds the box from it.
    /// </summary>
    public string? WorkRoot { get; init; }

    /// <summary>
    /// First uid of the range used when running as root. Each live job on the host gets its own uid (see
    /// <see cref="UidLockDirectory"/>), because RLIMIT_NPROC counts all processes of a uid and a shared uid would let
    /// one job signal or read another.
    /// </summary>
    public int SandboxUidBase { get; init; } = 61_000;

    /// <summary>Number of uids in the range: the most jobs that run at once on this host (others wait).</summary>
    public int SandboxUidCount { get; init; } = 16;

    /// <summary>
    /// Where the per-uid lock files live (created with mode 700). Every runner process on the host must use the same
    /// directory for the same uid range: a job holds its uid's flock(2) while it runs.
    /// </summary>
    public string UidLockDirectory { get; init; } = "/run/coderunner-sandbox";

    /// <summary>Size cap of each private tmpfs of a job (<c>/tmp</c>, <c>/dev/shm</c> and the run step's box).</summary>
    public long TmpfsSizeBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Run jobs without bubblewrap when it is missing or fails (rlimits only). Off by default: without it, a machine
    /// lacking bubblewrap refuses every submission with 13 Internal Error and says how to install it.
    /// </summary>
    public bool AllowUnsandboxed { get; init; }

    /// <summary>Limits of the compile step (Judge0 compiles with its maximum limits; compile time is never billed).</summary>
    public CompileLimits Compile { get; init; } = new();

    /// <summary>Clock for the executor's deadlines and wall-time measurement.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where sandbox failures (a job directory that could not be removed, say) are logged; none by default.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <summary>Tests turn cgroups off to exercise the memory watchdog on a host that has them.</summary>
    internal bool UseCgroups { get; init; } = true;

    /// <summary>Tests pretend bubblewrap is not installed, to see what a machine without it does.</summary>
    internal bool BubblewrapMissing { get; init; }
}

/// <summary>Limits of the compile step of C and C++.</summary>
/// <param name="CpuTimeSeconds">CPU seconds (RLIMIT_CPU, whole seconds).</param>
/// <param name="WallTimeSeconds">Wall-clock seconds.</param>
/// <param name="AddressSpaceKb">Memory of the compiler (cc1plus needs a few hundred MB).</param>
/// <param name="MaxFileSizeKb">Largest file the compiler may write (the executable).</param>
/// <param name="MaxProcesses">Processes (gcc runs cc1, as, collect2, ld).</param>
public sealed record CompileLimits(
    int CpuTimeSeconds = 10,
    int WallTimeSeconds = 20,
    long AddressSpaceKb = 2_097_152,
    long MaxFileSizeKb = 65_536,
    int MaxProcesses = 60);
