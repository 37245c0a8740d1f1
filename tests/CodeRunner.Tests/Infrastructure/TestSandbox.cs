using CodeRunner.Sandbox;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>
/// The environment detected once per test run (compiling the job meter and probing isolation takes a fraction of a
/// second). The skip attributes read it during test discovery.
/// </summary>
internal static class TestSandbox
{
    private static readonly Lazy<SandboxEnvironment> Detected =
        new(() => SandboxEnvironment.DetectAsync().GetAwaiter().GetResult(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static SandboxEnvironment Environment => Detected.Value;

    /// <summary>An executor whose jobs are created under a fresh directory, so a test can check they were removed.</summary>
    public static (SandboxExecutor Executor, string WorkRoot) WithPrivateWorkRoot(MemoryEnforcement? memory = null)
    {
        string workRoot = Directory.CreateTempSubdirectory("coderunner-tests-").FullName;
        // mkdtemp makes it 700; the sandbox uid must be able to pass through it to reach its box.
        File.SetUnixFileMode(workRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return (new SandboxExecutor(Environment.With(Environment.Options with { WorkRoot = workRoot }, memory: memory)), workRoot);
    }

    /// <summary>Runs a catalogue entry and checks that its job directory is gone afterwards.</summary>
    public static async Task<SubmissionResult> RunAsync(Submission submission)
    {
        var (executor, workRoot) = WithPrivateWorkRoot();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            SubmissionResult result = await executor.ExecuteAsync(submission, timeout.Token);
            Directory.EnumerateFileSystemEntries(workRoot).Should().BeEmpty("the job directory is removed after every run");
            return result;
        }
        finally
        {
            Directory.Delete(workRoot, recursive: true);
        }
    }

    public static Task<SubmissionResult> RunAsync(string catalogueName) => RunAsync(SubmissionCatalogue.Get(catalogueName).Submission);
}
