using System.Globalization;
using System.Runtime.Versioning;
using CodeRunner.Sandbox.Internal;
using Microsoft.Extensions.Logging;

namespace CodeRunner.Sandbox;

/// <summary>
/// Runs each submission in its own throwaway sandbox (see <see cref="SandboxEnvironment"/>). Compiled languages
/// compile first, in a sandbox of their own with the compile limits; compile time is not part of
/// <see cref="SubmissionResult.Time"/> and is never billed. Safe to call concurrently; a failure of the sandbox itself
/// (set-up or cleanup) ends that one submission as 13 Internal Error and never escapes <see cref="ExecuteAsync"/>.
/// </summary>
public sealed class SandboxExecutor : ISandboxExecutor
{
    private readonly SandboxOptions _options;

    /// <summary>Creates an executor for an already detected environment.</summary>
    public SandboxExecutor(SandboxEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Environment = environment;
        _options = environment.Options;
    }

    /// <inheritdoc />
    public SandboxEnvironment Environment { get; }

    /// <summary>Detects the environment (see <see cref="SandboxEnvironment.DetectAsync"/>) and creates an executor.</summary>
    public static async Task<SandboxExecutor> CreateAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default) =>
        new(await SandboxEnvironment.DetectAsync(options, cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<SubmissionResult> ExecuteAsync(Submission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        if (!OperatingSystem.IsLinux() || Environment.Isolation == IsolationLevel.Unavailable || Environment.Command is null)
        {
            return InternalError("No working sandbox on this server: " + string.Join("; ", Environment.ProbeNotes));
        }

        if (!Environment.Languages.TryGet(submission.LanguageId, out Language? language) || !File.Exists(language.ToolPath))
        {
            return InternalError($"Language {submission.LanguageId} is not available on this server (its toolchain was not found).");
        }

        JobSession? session = null;
        SubmissionResult result;
        try
        {
            session = await JobSession.OpenAsync(Environment, cancellationToken).ConfigureAwait(false);
            session.Directory.WriteBoxFile(language.SourceFileName, submission.SourceCode, session.Uid);
            result = await CompileAndRunAsync(submission, language, session, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SandboxFailureException or IOException or UnauthorizedAccessException or InvalidOperationException
            && !cancellationToken.IsCancellationRequested)
        {
            result = InternalError("Sandbox failure: " + ex.Message);
        }
        finally
        {
            if (session is not null && await session.CloseAsync().ConfigureAwait(false) is { } leftover)
            {
                // A job directory we could not remove costs this submission its result (its files are still on disk,
                // never visible to another job), not the process.
                Log.CleanupFailed(_options.Logger, session.Directory.Root, leftover);
                result = InternalError("Sandbox cleanup failed: " + leftover);
            }
        }

        return result;
    }

    [SupportedOSPlatform("linux")]
    private async Task<SubmissionResult> CompileAndRunAsync(
        Submission submission, Language language, JobSession session, CancellationToken cancellationToken)
    {
        string? compileOutput = null;
        if (language.CompileCommand is { } compile)
        {
            JobLimits compileLimits = JobLimits.ForCompile(_options.Compile, Environment.Memory);
            StepResult compiled = await session.RunStepAsync("compile", compile, compileLimits, stdin: null, BoxMode.Writable, cancellationToken).ConfigureAwait(false);
            compileOutput = Join(compiled.Outcome.Stdout.Text, compiled.Outcome.Stderr.Text);
            if (compiled.Report is { Error: { } error } || (compiled.Report is null && !compiled.Outcome.KilledByDeadline))
            {
                return InternalError(
                    $"Sandbox failure while compiling: {compiled.Report?.Error ?? $"the job meter did not report (exit {compiled.Outcome.ExitCode}). {compiled.Outcome.Stderr.Text.Trim()}"}".Trim(),
                    compileOutput);
            }

            if (compiled.Outcome.KilledByDeadline || compiled.Report!.TimedOut || compiled.Report.ExitCode != 0 || compiled.MemoryExceeded)
            {
                bool timedOut = compiled.Outcome.KilledByDeadline || compiled.Report!.TimedOut || compiled.Report.ExitSignal == 24;
                return new SubmissionResult
                {
                    Status = JudgeStatus.CompilationError,
                    CompileOutput = timedOut ? Join(compileOutput, "Compilation time limit exceeded.") : NullIfEmpty(compileOutput),
                    Message = compiled.MemoryExceeded ? "Compiler " + Verdict.MemoryLimitExceeded
                        : compiled.Report?.ExitSignal is int signal ? $"Compiler killed by signal {signal} ({Verdict.SignalName(signal)})"
                        : $"Compiler exited with status {compiled.Report?.ExitCode}",
                    ExecutionMilliseconds = 1,
                    Isolation = Environment.Isolation,
                };
            }
        }

        JobLimits runLimits = JobLimits.ForRun(submission.Limits, language, Environment.Memory);
        string memoryMb = Math.Max(16, submission.Limits.MemoryLimit / 1024).ToString(CultureInfo.InvariantCulture);
        IEnumerable<string> program = language.RunCommand.Select(arg => arg.Replace(LanguageRegistry.MemoryMbPlaceholder, memoryMb, StringComparison.Ordinal));
        StepResult run = await session.RunStepAsync("run", program, runLimits, submission.Stdin, BoxMode.PrivateTmpfs, cancellationToken).ConfigureAwait(false);
        return ToResult(submission, run, NullIfEmpty(compileOutput));
    }

    private SubmissionResult ToResult(Submission submission, StepResult run, string? compileOutput)
    {
        ChildOutcome outcome = run.Outcome;
        MeterReport? report = run.Report;
        if (report?.Error is { } error)
        {
            // The meter could not start the program (its report says so; the program cannot write there).
            return error.EndsWith("Exec format error", StringComparison.Ordinal)
                ? new SubmissionResult { Status = JudgeStatus.ExecFormatError, Message = error, CompileOutput = compileOutput, Isolation = Environment.Isolation }
                : InternalError("Sandbox failure: " + error, compileOutput);
        }

        if (report is null && !outcome.KilledByDeadline)
        {
            return InternalError(
                $"Sandbox failure: the job meter did not report (exit {outcome.ExitCode}). {outcome.Stderr.Text.Trim()}".Trim(),
                compileOutput);
        }

        // Killed by our backstop without a report (the meter itself hung): the CPU time is unknown but bounded by the
        // CPU limit and by the wall time; bill the smaller.
        decimal wallSeconds = report is null ? Seconds(outcome.Elapsed) : Micros(report.WallMicroseconds);
        decimal cpuSeconds = report is null ? Math.Min(wallSeconds, submission.Limits.CpuTimeLimit) : Micros(report.CpuMicroseconds);
        report ??= new MeterReport((long)(cpuSeconds * 1_000_000m), (long)(wallSeconds * 1_000_000m), 0, null, null, TimedOut: true);

        string stdout = outcome.Stdout.Text;
        string stderr = outcome.Stderr.Text;
        (JudgeStatus status, string? message) = Verdict.Decide(
            report, outcome.KilledByDeadline, run.MemoryExceeded, cpuSeconds, submission.Limits, stdout, submission.ExpectedOutput);

        var notes = new List<string>();
        if (message is not null)
        {
            notes.Add(message);
        }

        AddTruncationNote(notes, "stdout", outcome.Stdout);
        AddTruncationNote(notes, "stderr", outcome.Stderr);
        bool ran = status.IsBillable;
        return new SubmissionResult
        {
            Status = status,
            Stdout = NullIfEmpty(stdout),
            Stderr = NullIfEmpty(stderr),
            CompileOutput = compileOutput,
            Message = notes.Count == 0 ? null : string.Join("; ", notes),
            ExitCode = report.ExitSignal is null ? report.ExitCode : null,
            ExitSignal = report.ExitSignal,
            Time = ran ? cpuSeconds : null,
            WallTime = ran ? wallSeconds : null,
            Memory = ran ? report.MaxRssKb : null,
            ExecutionMilliseconds = ran ? Math.Max(1, (long)Math.Ceiling(cpuSeconds * 1000m)) : 0,
            Isolation = Environment.Isolation,
        };
    }

    private SubmissionResult InternalError(string message, string? compileOutput = null) => new()
    {
        Status = JudgeStatus.InternalError,
        Message = message,
        CompileOutput = compileOutput,
        Isolation = Environment.Isolation,
    };

    private static void AddTruncationNote(List<string> notes, string stream, CappedCapture capture)
    {
        if (capture.Truncated)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{stream} truncated to {capture.Capacity} bytes ({capture.DiscardedBytes} more bytes were discarded)"));
        }
    }

    /// <summary>Seconds with millisecond precision, rounded up so that a measured run never shows 0.000.</summary>
    private static decimal Micros(long micros) => Math.Max(0.001m, Math.Ceiling(micros / 1000m) / 1000m);

    private static decimal Seconds(TimeSpan elapsed) => Micros((long)(elapsed.TotalMilliseconds * 1000));

    private static string Join(string first, string second) =>
        string.IsNullOrEmpty(first) ? second : string.IsNullOrEmpty(second) ? first : first.TrimEnd('\n') + "\n" + second;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
