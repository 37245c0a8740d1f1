using CodeRunner.Sandbox;

namespace CodeRunner.Tests.Infrastructure;

/// <summary>
/// The environment detected once per test run (compiling the job meter and probing isolation takes a fraction of a
/// second). The skip attributes read it during test discovery. Its jobs take uids from a range of their own, so that
/// "no process of this range is left" is not confused by jobs of other runners on the host (the sample's, the server's
/// tests running beside these) — the uid locks keep the ranges host-wide unique either way.
/// </summary>
internal static class TestSandbox
{
    /// <summary>The uid range of this test assembly's jobs (the sample and the server use the default, 61000-61015).</summary>
    public static readonly SandboxOptions Options = new() { SandboxUidBase = 62_000, SandboxUidCount = 16 };

    private static readonly Lazy<SandboxEnvironment> Detected =
        new(() => SandboxEnvironment.DetectAsync(Options).GetAwaiter().GetResult(), LazyThreadSafetyMode.ExecutionAndPublication);

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
            result.Status.Should().NotBe(JudgeStatus.InternalError, "the sandbox itself failed: {0}", result.Message);
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
