using System.Globalization;

namespace CodeRunner.Sandbox;

/// <summary>
/// Resource limits of one run, with Judge0's defaults and maxima (judge0.md C2, <c>config.rb</c>).
/// Every value is checked on construction; a bad value throws <see cref="SubmissionValidationException"/>.
/// </summary>
public sealed record SubmissionLimits
{
    /// <summary>Judge0 default CPU-time limit, in seconds.</summary>
    public const decimal DefaultCpuTimeLimit = 5m;

    /// <summary>Judge0 maximum CPU-time limit (<c>MAX_CPU_TIME_LIMIT</c>), in seconds.</summary>
    public const decimal MaxCpuTimeLimit = 15m;

    /// <summary>Judge0 default wall-time limit, in seconds.</summary>
    public const decimal DefaultWallTimeLimit = 10m;

    /// <summary>Judge0 minimum wall-time limit, in seconds.</summary>
    public const decimal MinWallTimeLimit = 1m;

    /// <summary>Judge0 maximum wall-time limit, in seconds.</summary>
    public const decimal MaxWallTimeLimit = 20m;

    /// <summary>Judge0 default memory limit, in KB.</summary>
    public const int DefaultMemoryLimit = 128_000;

    /// <summary>Judge0 minimum memory limit, in KB.</summary>
    public const int MinMemoryLimit = 2_048;

    /// <summary>Judge0 maximum memory limit, in KB.</summary>
    public const int MaxMemoryLimit = 512_000;

    /// <summary>Judge0 default number of processes and/or threads.</summary>
    public const int DefaultMaxProcesses = 60;

    /// <summary>Judge0 maximum number of processes and/or threads.</summary>
    public const int MaxMaxProcesses = 120;

    /// <summary>Judge0 default maximum size of a file the program writes, in KB.</summary>
    public const int DefaultMaxFileSize = 1_024;

    /// <summary>Judge0 maximum of <see cref="MaxFileSize"/>, in KB.</summary>
    public const int MaxMaxFileSize = 4_096;

    /// <summary>Creates limits; omitted values take Judge0's defaults.</summary>
    /// <param name="cpuTimeLimit">CPU seconds (user + system, all processes of the job): above 0, at most 15.</param>
    /// <param name="wallTimeLimit">Wall-clock seconds: 1 to 20, and not below <paramref name="cpuTimeLimit"/>.</param>
    /// <param name="memoryLimit">KB of address space per process: 2048 to 512000.</param>
    /// <param name="maxProcessesAndOrThreads">Processes and threads of the job: 1 to 120.</param>
    /// <param name="maxFileSize">KB per written file: 0 to 4096.</param>
    /// <exception cref="SubmissionValidationException">A value is out of range.</exception>
    public SubmissionLimits(
        decimal cpuTimeLimit = DefaultCpuTimeLimit,
        decimal wallTimeLimit = DefaultWallTimeLimit,
        int memoryLimit = DefaultMemoryLimit,
        int maxProcessesAndOrThreads = DefaultMaxProcesses,
        int maxFileSize = DefaultMaxFileSize)
    {
        Require(cpuTimeLimit is > 0m and <= MaxCpuTimeLimit, "cpu_time_limit",
            $"cpu_time_limit must be greater than 0 and at most {Format(MaxCpuTimeLimit)} seconds (got {Format(cpuTimeLimit)}).");
        Require(wallTimeLimit is >= MinWallTimeLimit and <= MaxWallTimeLimit, "wall_time_limit",
            $"wall_time_limit must be between {Format(MinWallTimeLimit)} and {Format(MaxWallTimeLimit)} seconds (got {Format(wallTimeLimit)}).");
        // Judge0 users are confused when the wall limit silently caps the CPU limit (judge0#463); refuse it instead.
        Require(wallTimeLimit >= cpuTimeLimit, "wall_time_limit",
            $"wall_time_limit ({Format(wallTimeLimit)} s) must not be less than cpu_time_limit ({Format(cpuTimeLimit)} s).");
        Require(memoryLimit is >= MinMemoryLimit and <= MaxMemoryLimit, "memory_limit",
            $"memory_limit must be between {MinMemoryLimit} and {MaxMemoryLimit} KB (got {memoryLimit}).");
        Require(maxProcessesAndOrThreads is >= 1 and <= MaxMaxProcesses, "max_processes_and_or_threads",
            $"max_processes_and_or_threads must be between 1 and {MaxMaxProcesses} (got {maxProcessesAndOrThreads}).");
        Require(maxFileSize is >= 0 and <= MaxMaxFileSize, "max_file_size",
            $"max_file_size must be between 0 and {MaxMaxFileSize} KB (got {maxFileSize}).");

        CpuTimeLimit = cpuTimeLimit;
        WallTimeLimit = wallTimeLimit;
        MemoryLimit = memoryLimit;
        MaxProcessesAndOrThreads = maxProcessesAndOrThreads;
        MaxFileSize = maxFileSize;
    }

    /// <summary>Judge0's defaults: 5 s CPU, 10 s wall, 128000 KB, 60 processes, 1024 KB files.</summary>
    public static SubmissionLimits Default { get; } = new();

    /// <summary>CPU-time limit in seconds (Judge0 <c>cpu_time_limit</c>).</summary>
    public decimal CpuTimeLimit { get; }

    /// <summary>Wall-time limit in seconds (Judge0 <c>wall_time_limit</c>).</summary>
    public decimal WallTimeLimit { get; }

    /// <summary>Memory (address-space) limit in KB (Judge0 <c>memory_limit</c>).</summary>
    public int MemoryLimit { get; }

    /// <summary>Maximum processes and threads (Judge0 <c>max_processes_and_or_threads</c>).</summary>
    public int MaxProcessesAndOrThreads { get; }

    /// <summary>Maximum size of a written file in KB (Judge0 <c>max_file_size</c>).</summary>
    public int MaxFileSize { get; }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new SubmissionValidationException(field, message);
        }
    }

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
