using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;
using static CodeRunner.Tests.Infrastructure.Judge0Languages;

namespace CodeRunner.Tests;

/// <summary>The hostile programs of the catalogue: each is contained, with the right status, and leaves nothing behind.</summary>
public class HostileProgramTests
{
    /// <summary>Slack for process start-up and a loaded 2-core machine.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    [SandboxFact(Python)]
    public async Task Infinite_loop_is_stopped_by_the_cpu_limit()
    {
        // The catalogue's 3 s wall limit can fire first when the two cores are busy (the loop then gets under 1 s of
        // CPU in 3 s), so this test gives the wall clock room: what it proves is that the CPU limit stops the loop.
        var entry = SubmissionCatalogue.Get("hostile-infinite-loop").Submission;
        var submission = new Submission(entry.SourceCode, entry.LanguageId, limits: new SubmissionLimits(cpuTimeLimit: 1m, wallTimeLimit: 15m, memoryLimit: 64_000, maxProcessesAndOrThreads: 20, maxFileSize: 1_024));
        var stopwatch = Stopwatch.StartNew();
        var result = await TestSandbox.RunAsync(submission);

        result.Status.Should().Be(JudgeStatus.TimeLimitExceeded);
        result.ExitSignal.Should().Be(24, "RLIMIT_CPU sends SIGXCPU");
        // RLIMIT_CPU is checked on the scheduler tick while getrusage scales tick samples to the precise runtime, so on a
        // VM the reported time can land a little under the 1 s at which SIGXCPU came.
        result.Time.Should().BeInRange(0.5m, 2.5m);
        result.ExecutionMilliseconds.Should().BeGreaterThanOrEqualTo(500);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "the CPU limit, not the wall clock, ended it");
    }

    [SandboxFact(Bash)]
    public async Task Sleeping_program_is_stopped_on_the_wall_clock()
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await TestSandbox.RunAsync("hostile-sleep");

        result.Status.Should().Be(JudgeStatus.TimeLimitExceeded);
        result.Message.Should().Contain("wall clock");
        result.WallTime.Should().BeInRange(2.9m, 3.5m);
        result.Time.Should().BeLessThan(0.5m, "sleeping costs no CPU");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3) + Margin);
    }

    [SandboxFact(Python)]
    public async Task Memory_hog_is_stopped_at_the_jobs_memory_limit()
    {
        var result = await TestSandbox.RunAsync("hostile-memory-hog");

        result.Status.Should().Be(JudgeStatus.RuntimeErrorOther);
        result.Message.Should().Be("memory limit exceeded");
        result.Stdout.Should().Be("allocating 1 GiB\n");
        result.Memory.Should().BeLessThan(80_000, "the job was stopped near its 64000 KB limit");
    }

    [SandboxFact(IsolationLevel.Bubblewrap, Python)]
    public async Task Network_is_unreachable_even_to_a_listener_on_the_hosts_loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var entry = SubmissionCatalogue.Get("hostile-network");
        var submission = new Submission(entry.Submission.SourceCode, Python, stdin: port.ToString(System.Globalization.CultureInfo.InvariantCulture), limits: entry.Submission.Limits);

        var result = await TestSandbox.RunAsync(submission);

        result.Status.Should().Be(JudgeStatus.RuntimeErrorNzec, "the program exits 1 when it could not connect; stdout: {0}", result.Stdout);
        result.Stdout.Should().Contain("blocked 1.1.1.1:53").And.Contain($"blocked 127.0.0.1:{port}").And.NotContain("connected");
        listener.Pending().Should().BeFalse("no connection reached the host");
    }

    [SandboxFact(Python)]
    public async Task Output_flood_is_capped_at_64_KB()
    {
        var result = await TestSandbox.RunAsync("hostile-output-flood");

        result.Status.Should().Be(JudgeStatus.Accepted, "the program finishes; only its output is cut");
        Encoding.UTF8.GetByteCount(result.Stdout!).Should().Be(64 * 1024);
        result.Message.Should().Contain("stdout truncated to 65536 bytes").And.Contain($"{(8 * 1024 * 1024) - (64 * 1024)} more bytes");
    }

    [SandboxFact(Bash)]
    public async Task File_flood_is_stopped_by_the_file_size_limit()
    {
        var result = await TestSandbox.RunAsync("hostile-file-flood");

        result.Status.Should().Be(JudgeStatus.RuntimeErrorSigxfsz);
        result.ExitSignal.Should().Be(25);
    }

    [SandboxFact(Python)]
    public async Task Environment_of_the_host_does_not_leak()
    {
        Environment.SetEnvironmentVariable("PAYGENTIC_API_KEY", "secret-from-the-host");
        try
        {
            var result = await TestSandbox.RunAsync("hostile-env-dump");

            result.Status.Should().Be(JudgeStatus.Accepted);
            result.Stdout.Should().NotContain("PAYGENTIC").And.NotContain("secret-from-the-host");
            result.Stdout!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('=')[0])
                .Should().BeEquivalentTo("PATH", "HOME", "TMPDIR", "LANG", "PWD");
        }
        finally
        {
            Environment.SetEnvironmentVariable("PAYGENTIC_API_KEY", null);
        }
    }

    [SandboxFact(Bash)]
    public async Task Cancelling_kills_the_job_and_removes_its_directory()
    {
        var (executor, workRoot) = TestSandbox.WithPrivateWorkRoot();
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            var stopwatch = Stopwatch.StartNew();

            var act = () => executor.ExecuteAsync(new Submission("sleep 30\n", Bash, limits: new SubmissionLimits(1m, 20m)), cancel.Token);

            await act.Should().ThrowAsync<OperationCanceledException>();
            stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
            Directory.EnumerateFileSystemEntries(workRoot).Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(workRoot, recursive: true);
        }
    }
}
