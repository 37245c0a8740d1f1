namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// Maps what the meter saw to a Judge0 status, in isolate's order of precedence: a time limit first, then a signal,
/// then a non-zero exit, then the output check.
/// </summary>
internal static class Verdict
{
    private const int SigAbrt = 6;
    private const int SigFpe = 8;
    private const int SigKill = 9;
    private const int SigSegv = 11;
    private const int SigXcpu = 24;
    private const int SigXfsz = 25;

    /// <summary>The message of a job stopped for memory.</summary>
    public const string MemoryLimitExceeded = "memory limit exceeded";

    public static (JudgeStatus Status, string? Message) Decide(
        MeterReport report,
        bool killedOnWallClock,
        bool memoryExceeded,
        decimal cpuSeconds,
        SubmissionLimits limits,
        string stdout,
        string? expectedOutput)
    {
        if (killedOnWallClock || report.TimedOut)
        {
            return (JudgeStatus.TimeLimitExceeded, "Time limit exceeded (wall clock)");
        }

        // The job as a whole went over its memory: some process was killed for it, even if the main one exited 0.
        if (memoryExceeded)
        {
            return (JudgeStatus.RuntimeErrorOther, MemoryLimitExceeded);
        }

        // RLIMIT_CPU only knows whole seconds, so a run may finish above a fractional limit: still a TLE, as in isolate.
        // This also covers the hard CPU limit's SIGKILL (a second after SIGXCPU, for programs that catch it).
        if (cpuSeconds > limits.CpuTimeLimit || report.ExitSignal == SigXcpu)
        {
            return (JudgeStatus.TimeLimitExceeded, "Time limit exceeded");
        }

        if (report.ExitSignal is int signal)
        {
            JudgeStatus status = signal switch
            {
                SigSegv => JudgeStatus.RuntimeErrorSigsegv,
                SigXfsz => JudgeStatus.RuntimeErrorSigxfsz,
                SigFpe => JudgeStatus.RuntimeErrorSigfpe,
                SigAbrt => JudgeStatus.RuntimeErrorSigabrt,
                _ => JudgeStatus.RuntimeErrorOther,
            };
            return (status, $"Exited with signal {signal} ({SignalName(signal)})");
        }

        // Whatever the program printed or returned is its own: an exit status is never read as the sandbox's words
        // (the meter's failures come in its report, which the program cannot reach).
        int exitCode = report.ExitCode ?? -1;
        if (exitCode != 0)
        {
            return (JudgeStatus.RuntimeErrorNzec, $"Exited with error status {exitCode}");
        }

        return expectedOutput is null || OutputComparison.Matches(stdout, expectedOutput)
            ? (JudgeStatus.Accepted, null)
            : (JudgeStatus.WrongAnswer, null);
    }

    internal static string SignalName(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        SigAbrt => "SIGABRT",
        7 => "SIGBUS",
        SigFpe => "SIGFPE",
        SigKill => "SIGKILL",
        SigSegv => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        SigXcpu => "SIGXCPU",
        SigXfsz => "SIGXFSZ",
        31 => "SIGSYS",
        _ => "signal " + signal,
    };
}
