namespace CodeRunner.Sandbox;

/// <summary>Runs submissions in the sandbox and returns Judge0-style results.</summary>
public interface ISandboxExecutor
{
    /// <summary>The environment (isolation, languages) the executor was created with.</summary>
    SandboxEnvironment Environment { get; }

    /// <summary>
    /// Compiles (if needed) and runs one submission in a fresh private directory, which is removed afterwards.
    /// Never throws for a failure of the program or of the sandbox: those are results (statuses 4–14).
    /// </summary>
    /// <param name="submission">The validated submission.</param>
    /// <param name="cancellationToken">Cancels the run: every process of the job is killed and the directory removed.</param>
    /// <returns>The verdict and measurements.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled; no result (and nothing to bill).</exception>
    Task<SubmissionResult> ExecuteAsync(Submission submission, CancellationToken cancellationToken = default);
}
