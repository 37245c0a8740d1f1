namespace CodeRunner.Server.Storage;

/// <summary>
/// A submission as Judge0 accepts it, validated, with text decoded (base64 is a transport encoding only). Limits
/// keep Judge0's units: seconds for times, KB for sizes.
/// </summary>
internal sealed record SubmissionInput
{
    public required string SourceCode { get; init; }

    public required int LanguageId { get; init; }

    public string? Stdin { get; init; }

    public string? ExpectedOutput { get; init; }

    public decimal CpuTimeLimit { get; init; } = 5.0m;

    public decimal CpuExtraTime { get; init; } = 1.0m;

    public decimal WallTimeLimit { get; init; } = 10.0m;

    public int MemoryLimit { get; init; } = 128_000;

    public int StackLimit { get; init; } = 64_000;

    public int MaxProcessesAndOrThreads { get; init; } = 60;

    public bool EnablePerProcessAndThreadTimeLimit { get; init; }

    public bool EnablePerProcessAndThreadMemoryLimit { get; init; }

    public int MaxFileSize { get; init; } = 1_024;

    public bool RedirectStderrToStdout { get; init; }

    public bool EnableNetwork { get; init; }

    public int NumberOfRuns { get; init; } = 1;

    public string? CompilerOptions { get; init; }

    public string? CommandLineArguments { get; init; }

    public string? CallbackUrl { get; init; }
}

/// <summary>What a finished run produced, in Judge0's units (seconds, KB).</summary>
internal sealed record SubmissionOutcome
{
    public string? Stdout { get; init; }

    public string? Stderr { get; init; }

    public string? CompileOutput { get; init; }

    public string? Message { get; init; }

    public int? ExitCode { get; init; }

    public int? ExitSignal { get; init; }

    public decimal? Time { get; init; }

    public decimal? WallTime { get; init; }

    public long? Memory { get; init; }

    /// <summary>CPU milliseconds of all runs, the billed quantity.</summary>
    public long CpuMilliseconds { get; init; }
}
