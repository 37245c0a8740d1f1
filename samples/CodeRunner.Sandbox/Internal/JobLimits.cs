namespace CodeRunner.Sandbox.Internal;

/// <summary>The limits of one step (compile or run).</summary>
/// <param name="CpuSeconds">RLIMIT_CPU, whole seconds.</param>
/// <param name="Wall">Wall-clock limit, enforced by the meter.</param>
/// <param name="MemoryKb">Memory of the whole job (every process, and what it writes to its tmpfs mounts).</param>
/// <param name="FileSizeKb">RLIMIT_FSIZE.</param>
/// <param name="Processes">Processes and threads of the program (RLIMIT_NPROC and the pids cgroup).</param>
internal sealed record JobLimits(
    int CpuSeconds,
    TimeSpan Wall,
    long MemoryKb,
    long FileSizeKb,
    int Processes)
{
    /// <summary>Open files: enough for interpreters and the compiler driver, not for fd exhaustion games.</summary>
    public const int OpenFiles = 128;

    /// <summary>Stack, as Judge0's default <c>stack_limit</c> (64000 KB).</summary>
    public const long StackKb = 64_000;

    /// <summary>
    /// RLIMIT_AS per process, or null. Only set where nothing bounds the job as a whole: an address-space limit also
    /// counts reserved, untouched memory (thread stacks, Node's heap reservation), so it stops threads from starting.
    /// </summary>
    public long? AddressSpaceKb { get; init; }

    /// <summary>Limits of the run step. RLIMIT_CPU counts whole seconds, so it is rounded up; the executor still
    /// compares the measured CPU time with the exact limit.</summary>
    public static JobLimits ForRun(SubmissionLimits limits, Language language, MemoryEnforcement memory) => new(
        (int)Math.Ceiling(limits.CpuTimeLimit),
        TimeSpan.FromSeconds((double)limits.WallTimeLimit),
        limits.MemoryLimit,
        limits.MaxFileSize,
        limits.MaxProcessesAndOrThreads)
    {
        AddressSpaceKb = memory == MemoryEnforcement.PerProcessAddressSpace ? limits.MemoryLimit + language.AddressSpaceHeadroomKb : null,
    };

    public static JobLimits ForCompile(CompileLimits limits, MemoryEnforcement memory) => new(
        limits.CpuTimeSeconds,
        TimeSpan.FromSeconds(limits.WallTimeSeconds),
        limits.AddressSpaceKb,
        limits.MaxFileSizeKb,
        limits.MaxProcesses)
    {
        AddressSpaceKb = memory == MemoryEnforcement.PerProcessAddressSpace ? limits.AddressSpaceKb : null,
    };
}
