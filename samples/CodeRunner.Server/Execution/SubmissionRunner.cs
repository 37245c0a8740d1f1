using CodeRunner.Sandbox;
using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Execution;

/// <summary>
/// Runs one submission in the sandbox through its public API, <c>number_of_runs</c> times as Judge0 does (stopping at
/// the first verdict other than Accepted; time, wall time and memory averaged; CPU milliseconds summed, as billed).
/// A failure of our own is status 13 (never charged); a shutdown cancels and leaves the submission to the restart.
/// </summary>
internal sealed class SubmissionRunner(ISandboxExecutor sandbox)
{
    public async Task<(JudgeStatus Status, SubmissionOutcome Outcome)> RunAsync(SubmissionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var runs = new List<SubmissionResult>(input.NumberOfRuns);
        try
        {
            var submission = new Submission(
                input.SourceCode,
                input.LanguageId,
                input.Stdin,
                input.ExpectedOutput,
                new SubmissionLimits(input.CpuTimeLimit, input.WallTimeLimit, input.MemoryLimit, input.MaxProcessesAndOrThreads, input.MaxFileSize));
            for (int run = 0; run < input.NumberOfRuns; run++)
            {
                SubmissionResult result = await sandbox.ExecuteAsync(submission, cancellationToken).ConfigureAwait(false);
                runs.Add(result);
                if (result.Status != JudgeStatus.Accepted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // any failure of the sandbox is Judge0's "Internal Error" for this submission, not a crash of the server
        catch (Exception e)
#pragma warning restore CA1031
        {
            return (JudgeStatus.InternalError, new SubmissionOutcome { Message = "internal error: " + e.GetType().Name });
        }

        SubmissionResult last = runs[^1];
        string? stdout = last.Stdout;
        string? stderr = last.Stderr;
        if (input.RedirectStderrToStdout && stderr is not null)
        {
            // The sandbox captures the streams apart, so the merged text is stdout then stderr, not interleaved.
            stdout = (stdout ?? string.Empty) + stderr;
            stderr = null;
        }

        return (last.Status, new SubmissionOutcome
        {
            Stdout = stdout,
            Stderr = stderr,
            CompileOutput = last.CompileOutput,
            Message = last.Message,
            ExitCode = last.ExitCode,
            ExitSignal = last.ExitSignal,
            Time = Average(runs, r => r.Time),
            WallTime = Average(runs, r => r.WallTime),
            Memory = runs.Any(r => r.Memory is not null) ? (long)Math.Round(runs.Average(r => (decimal)(r.Memory ?? 0))) : null,
            CpuMilliseconds = runs.Sum(r => r.ExecutionMilliseconds),
        });
    }

    private static decimal? Average(List<SubmissionResult> runs, Func<SubmissionResult, decimal?> value) =>
        runs.Any(r => value(r) is not null) ? Math.Round(runs.Average(r => value(r) ?? 0m), 3) : null;
}
