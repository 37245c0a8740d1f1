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

    public static (JudgeStatus Status, string? Message) Decide(
        MeterReport report,
        bool killedOnWallClock,
        decimal cpuSeconds,
        SubmissionLimits limits,
        string stdout,
        string stderr,
        string? expectedOutput,
        string? programPath)
    {
        if (killedOnWallClock || report.TimedOut)
        {
            return (JudgeStatus.TimeLimitExceeded, "Time limit exceeded (wall clock)");
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

        int exitCode = report.ExitCode ?? -1;
        if (exitCode != 0)
        {
            if (LauncherFailure(exitCode, stderr, programPath) is { } failure)
            {
                return failure;
            }

            return (JudgeStatus.RuntimeErrorNzec, $"Exited with error status {exitCode}");
        }

        return expectedOutput is null || OutputComparison.Matches(stdout, expectedOutput)
            ? (JudgeStatus.Accepted, null)
            : (JudgeStatus.WrongAnswer, null);
    }

    /// <summary>
    /// The program never started: env(1) could not exec it (126: e.g. ENOEXEC, 127: not found) or the meter could not
    /// exec the chain (125). The message must be the whole of stderr, so that a program printing such a line among its
    /// output still counts as its own failure.
    /// </summary>
    private static (JudgeStatus, string)? LauncherFailure(int exitCode, string stderr, string? programPath)
    {
        string text = stderr.Trim();
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        if (exitCode == 125 && text.StartsWith("jobmeter:", StringComparison.Ordinal))
        {
            return (JudgeStatus.InternalError, "Sandbox failure: " + text);
        }

        if (programPath is null || !text.StartsWith($"env: '{programPath}': ", StringComparison.Ordinal))
        {
            return null;
        }

        return exitCode switch
        {
            126 when text.EndsWith("Exec format error", StringComparison.Ordinal) => (JudgeStatus.ExecFormatError, text),
            126 or 127 => (JudgeStatus.InternalError, "Toolchain unavailable at run time: " + text),
            _ => null,
        };
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
