using CodeRunner.Cli;
using CodeRunner.Configuration;
using CodeRunner.Execution;
using CodeRunner.Hosting;
using CodeRunner.Reporting;
using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Sample;

/// <summary>
/// Runs the sample's own flow (<see cref="CodeRunnerFlow"/>) in-process against the embedded emulator the sample starts
/// itself, with the real sandbox. One named job can be forced to fail inside the sandbox (status 13).
/// </summary>
internal static class SampleRun
{
    /// <summary>The name of the job that ends as 13 Internal Error.</summary>
    public const string InternalErrorJob = "internal-error";

    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    public static async Task<(RunReport Report, string Output)> RunAsync(BillingServer server, BillingMode billing, params string[] builtIn)
    {
        var jobs = builtIn.Select(name => SubmissionCatalogue.Get(name)).Select(e => new SubmissionJob(e.Name, e.Submission, e.ExpectedStatuses)).ToList();
        // A real sandbox failure: the job directory cannot be created under a regular file.
        var failing = new SubmissionJob(InternalErrorJob, new Submission("print('never runs')\n", 71), [JudgeStatus.InternalError]);
        jobs.Add(failing);

        using var output = new StringWriter();
        string brokenRoot = Path.GetTempFileName();
        try
        {
            var sandbox = new RoutingSandbox(
                new SandboxExecutor(TestSandbox.Environment),
                new SandboxExecutor(TestSandbox.Environment.With(TestSandbox.Environment.Options with { WorkRoot = brokenRoot })),
                failing.Submission);
            var flow = new CodeRunnerFlow(server, new SampleSettings(), sandbox, output);
            using var timeout = new CancellationTokenSource(Bound);
            RunReport report = await flow.RunAsync(new RunArguments { Billing = billing, Concurrency = 2 }, jobs, timeout.Token);
            output.Write(ReportPrinter.Render(report, TestSandbox.Environment.Languages));
            return (report, output.ToString());
        }
        finally
        {
            File.Delete(brokenRoot);
        }
    }

    /// <summary>Sends one submission to a broken executor, the rest to the real one.</summary>
    private sealed class RoutingSandbox(ISandboxExecutor real, ISandboxExecutor broken, Submission failing) : ISandboxExecutor
    {
        public SandboxEnvironment Environment => real.Environment;

        public Task<SubmissionResult> ExecuteAsync(Submission submission, CancellationToken cancellationToken = default) =>
            ReferenceEquals(submission, failing) ? broken.ExecuteAsync(submission, cancellationToken) : real.ExecuteAsync(submission, cancellationToken);
    }
}
