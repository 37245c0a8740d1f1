namespace CodeRunner.Sandbox;

/// <summary>Settings of the sandbox executor. The defaults suit the sample.</summary>
public sealed record SandboxOptions
{
    /// <summary>Bytes of stdout and of stderr kept per run (and of compile output); the rest is drained and discarded.</summary>
    public int OutputCapBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Directory under which each job's private directory is created; defaults to the system temp directory. When running
    /// as root it must be searchable (x) by others, because the sandbox uid reaches its box through it.
    /// </summary>
    public string? WorkRoot { get; init; }

    /// <summary>
    /// First uid of the pool used when running as root. Each concurrent job gets its own uid, because RLIMIT_NPROC
    /// counts all processes of a uid: a shared uid would let one job's fork bomb starve another job.
    /// </summary>
    public int SandboxUidBase { get; init; } = 61_000;

    /// <summary>Number of uids in the pool, i.e. the maximum number of concurrent jobs when running as root.</summary>
    public int SandboxUidCount { get; init; } = 16;

    /// <summary>The strongest isolation to try (lower it to test weaker modes). Detection picks the strongest that works.</summary>
    public IsolationLevel MaxIsolation { get; init; } = IsolationLevel.NamespacesAndUidDrop;

    /// <summary>Use GNU time even when the job-meter helper could be compiled (for tests of the fallback).</summary>
    public bool PreferGnuTime { get; init; }

    /// <summary>Limits of the compile step (Judge0 compiles with its maximum limits; compile time is never billed).</summary>
    public CompileLimits Compile { get; init; } = new();

    /// <summary>Clock for the executor's deadlines and wall-time measurement.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>Limits of the compile step of C and C++.</summary>
/// <param name="CpuTimeSeconds">CPU seconds (RLIMIT_CPU, whole seconds).</param>
/// <param name="WallTimeSeconds">Wall-clock seconds.</param>
/// <param name="AddressSpaceKb">Address space per process: cc1plus needs a few hundred MB.</param>
/// <param name="MaxFileSizeKb">Largest file the compiler may write (the executable).</param>
/// <param name="MaxProcesses">Processes (gcc runs cc1, as, collect2, ld).</param>
public sealed record CompileLimits(
    int CpuTimeSeconds = 10,
    int WallTimeSeconds = 20,
    long AddressSpaceKb = 2_097_152,
    long MaxFileSizeKb = 65_536,
    int MaxProcesses = 60);
