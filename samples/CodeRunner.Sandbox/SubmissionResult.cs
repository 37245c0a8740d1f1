namespace CodeRunner.Sandbox;

/// <summary>
/// The verdict and measurements of one submission, with Judge0's field names and units.
/// </summary>
public sealed record SubmissionResult
{
    /// <summary>Judge0 status (id and description).</summary>
    public required JudgeStatus Status { get; init; }

    /// <summary>Captured stdout (at most 64 KB; see <see cref="Message"/> when truncated), or null when there was none.</summary>
    public string? Stdout { get; init; }

    /// <summary>Captured stderr (at most 64 KB), or null when there was none.</summary>
    public string? Stderr { get; init; }

    /// <summary>Compiler output (stdout then stderr) of a compiled language, or null.</summary>
    public string? CompileOutput { get; init; }

    /// <summary>Judge0 <c>message</c>: why the run ended (signal, exit status, limit) and any truncation notes.</summary>
    public string? Message { get; init; }

    /// <summary>Exit code when the program exited normally, else null.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Number of the signal that killed the program, else null.</summary>
    public int? ExitSignal { get; init; }

    /// <summary>
    /// CPU time in seconds (user + system of the program and every child it waited for), with millisecond precision.
    /// Compile time is not included: compiling is free. Null when the program did not run (6, 13, 14).
    /// </summary>
    public decimal? Time { get; init; }

    /// <summary>Wall-clock seconds of the run (millisecond precision), compile excluded; null when it did not run.</summary>
    public decimal? WallTime { get; init; }

    /// <summary>Peak resident memory in KB (max RSS of the largest process), or null when it did not run.</summary>
    public long? Memory { get; init; }

    /// <summary>
    /// CPU time in whole milliseconds for metering, rounded up and never below 1 (a run always costs something).
    /// 0 when the program did not run.
    /// </summary>
    public long ExecutionMilliseconds { get; init; }

    /// <summary>True when the submission is charged: statuses 3 to 12 (the user's code ran, or failed to compile).</summary>
    public bool IsBillable => Status.IsBillable;

    /// <summary>The isolation the run used.</summary>
    public IsolationLevel Isolation { get; init; }
}
