using System.Globalization;
using System.Runtime.Versioning;
using CodeRunner.Sandbox.Internal;

namespace CodeRunner.Sandbox;

/// <summary>
/// Runs each submission as a child process in a fresh private directory, under the strongest isolation detected
/// (see <see cref="SandboxEnvironment"/>). Compiled languages compile first, in the same sandbox, with the compile
/// limits; compile time is not part of <see cref="SubmissionResult.Time"/> and is never billed.
/// Safe to call concurrently (each concurrent job gets its own sandbox uid when running as root).
/// </summary>
public sealed class SandboxExecutor : ISandboxExecutor
{
    /// <summary>Extra wall time the executor waits before killing a job whose meter enforces the wall limit itself.</summary>
    private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(2);

    private readonly SandboxOptions _options;
    private readonly SandboxCommand? _command;

    /// <summary>Creates an executor for an already detected environment.</summary>
    public SandboxExecutor(SandboxEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Environment = environment;
        _options = environment.Options;
        _command = environment.Tools is not null && environment.Meter is not null
            ? new SandboxCommand(environment.Tools, environment.Meter)
            : null;
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
        if (!OperatingSystem.IsLinux() || Environment.Isolation == IsolationLevel.Unavailable || _command is null)
        {
            return InternalError("No working sandbox on this server: " + string.Join("; ", Environment.ProbeNotes));
        }

        if (!Environment.Languages.TryGet(submission.LanguageId, out Language? language))
        {
            return InternalError($"Language {submission.LanguageId} is not available on this server (its toolchain was not found at start).");
        }

        SandboxUidPool.Lease? lease = Environment.DropsToSandboxUid
            ? await SandboxUidPool.For(_options.SandboxUidBase, _options.SandboxUidCount).AcquireAsync(cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            using JobDirectory job = JobDirectory.Create(_options.WorkRoot ?? Path.GetTempPath(), lease?.Uid);
            job.WriteBoxFile(language.SourceFileName, submission.SourceCode, lease?.Uid);
            return await CompileAndRunAsync(submission, language, job, lease?.Uid, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is SandboxFailureException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return InternalError("Sandbox failure: " + ex.Message);
        }
        finally
        {
            lease?.Dispose();
        }
    }

    [SupportedOSPlatform("linux")]
    private async Task<SubmissionResult> CompileAndRunAsync(
        Submission submission, Language language, JobDirectory job, int? uid, CancellationToken cancellationToken)
    {
        string? compileOutput = null;
        if (language.CompileCommand is { } compile)
        {
            JobLimits compileLimits = JobLimits.ForCompile(_options.Compile);
            StepResult compiled = await RunStepAsync("compile", compile, compileLimits, stdin: null, job, uid, cancellationToken).ConfigureAwait(false);
            compileOutput = Join(compiled.Outcome.Stdout.Text, compiled.Outcome.Stderr.Text);
            if (compiled.Report is null && !compiled.Outcome.KilledByDeadline)
            {
                return InternalError("Sandbox failure while compiling: " + compiled.Outcome.Stderr.Text.Trim(), compileOutput);
            }

            if (compiled.Outcome.KilledByDeadline || compiled.Report!.TimedOut || compiled.Report.ExitCode != 0)
            {
                bool timedOut = compiled.Outcome.KilledByDeadline || compiled.Report!.TimedOut || compiled.Report.ExitSignal == 24;
                return new SubmissionResult
                {
                    Status = JudgeStatus.CompilationError,
                    CompileOutput = timedOut ? Join(compileOutput, "Compilation time limit exceeded.") : NullIfEmpty(compileOutput),
                    Message = compiled.Report?.ExitSignal is int signal
                        ? $"Compiler killed by signal {signal} ({Verdict.SignalName(signal)})"
                        : $"Compiler exited with status {compiled.Report?.ExitCode}",
                    ExecutionMilliseconds = 1,
                    Isolation = Environment.Isolation,
                };
            }
        }

        JobLimits runLimits = JobLimits.ForRun(submission.Limits, language);
        string memoryMb = Math.Max(16, submission.Limits.MemoryLimit / 1024).ToString(CultureInfo.InvariantCulture);
        IEnumerable<string> program = language.RunCommand.Select(arg => arg.Replace(LanguageRegistry.MemoryMbPlaceholder, memoryMb, StringComparison.Ordinal));
        StepResult run = await RunStepAsync("run", program, runLimits, submission.Stdin, job, uid, cancellationToken).ConfigureAwait(false);
        return ToResult(submission, language, run, NullIfEmpty(compileOutput));
    }

    [SupportedOSPlatform("linux")]
    private async Task<StepResult> RunStepAsync(
        string step, IEnumerable<string> program, JobLimits limits, string? stdin, JobDirectory job, int? uid, CancellationToken cancellationToken)
    {
        string meta = job.MetaPath(step);
        IReadOnlyList<string> argv = _command!.Build(Environment.Isolation, uid, limits, meta, job.Box, program);
        TimeSpan deadline = Environment.Meter!.EnforcesWallTime ? limits.Wall + Backstop : limits.Wall;
        ChildOutcome outcome = await ChildProcess.RunAsync(
            argv, job.Box, stdin, deadline, _options.OutputCapBytes, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        return new StepResult(outcome, Environment.Meter.Read(meta));
    }

    private SubmissionResult ToResult(Submission submission, Language language, StepResult run, string? compileOutput)
    {
        ChildOutcome outcome = run.Outcome;
        MeterReport? report = run.Report;
        if (report is null && !outcome.KilledByDeadline)
        {
            return InternalError(
                $"Sandbox failure: the job meter did not report (exit {outcome.ExitCode}). {outcome.Stderr.Text.Trim()}".Trim(),
                compileOutput);
        }

        // Killed by our own deadline without a report (GNU time fallback): the CPU time is unknown but bounded by the
        // CPU limit and by the wall time; bill the smaller.
        decimal wallSeconds = report is null ? Seconds(outcome.Elapsed) : Micros(report.WallMicroseconds);
        decimal cpuSeconds = report is null ? Math.Min(wallSeconds, submission.Limits.CpuTimeLimit) : Micros(report.CpuMicroseconds);
        report ??= new MeterReport((long)(cpuSeconds * 1_000_000m), (long)(wallSeconds * 1_000_000m), 0, null, null, TimedOut: true);

        string stdout = outcome.Stdout.Text;
        string stderr = outcome.Stderr.Text;
        string? programPath = language.RunCommand[0];
        (JudgeStatus status, string? message) = Verdict.Decide(
            report, outcome.KilledByDeadline, cpuSeconds, submission.Limits, stdout, stderr, submission.ExpectedOutput, programPath);

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

    private sealed record StepResult(ChildOutcome Outcome, MeterReport? Report);
}
