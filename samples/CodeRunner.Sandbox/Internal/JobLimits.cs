namespace CodeRunner.Sandbox.Internal;

/// <summary>The rlimits and wall limit of one step (compile or run), in the units prlimit wants.</summary>
internal sealed record JobLimits(
    int CpuSeconds,
    TimeSpan Wall,
    long AddressSpaceKb,
    long FileSizeKb,
    int Processes)
{
    /// <summary>Open files: enough for interpreters and the compiler driver, not for fd exhaustion games.</summary>
    public const int OpenFiles = 128;

    /// <summary>Stack, as Judge0's default <c>stack_limit</c> (64000 KB).</summary>
    public const long StackKb = 64_000;

    /// <summary>Limits of the run step. RLIMIT_CPU counts whole seconds, so it is rounded up; the executor still
    /// compares the measured CPU time with the exact limit.</summary>
    public static JobLimits ForRun(SubmissionLimits limits, Language language) => new(
        (int)Math.Ceiling(limits.CpuTimeLimit),
        TimeSpan.FromSeconds((double)limits.WallTimeLimit),
        limits.MemoryLimit + language.AddressSpaceHeadroomKb,
        limits.MaxFileSize,
        limits.MaxProcessesAndOrThreads);

    public static JobLimits ForCompile(CompileLimits limits) => new(
        limits.CpuTimeSeconds,
        TimeSpan.FromSeconds(limits.WallTimeSeconds),
        limits.AddressSpaceKb,
        limits.MaxFileSizeKb,
        limits.MaxProcesses);
}
