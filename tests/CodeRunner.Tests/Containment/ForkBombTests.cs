using System.Diagnostics;
using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;
using static CodeRunner.Tests.Infrastructure.Judge0Languages;

namespace CodeRunner.Tests.Containment;

[Collection(nameof(HostState))]
public class ForkBombTests
{
    [SandboxFact(IsolationLevel.Bubblewrap, Python)]
    public async Task Fork_bomb_is_contained_and_leaves_no_process_behind()
    {
        var entry = SubmissionCatalogue.Get("hostile-fork-bomb");
        var stopwatch = Stopwatch.StartNew();

        var result = await TestSandbox.RunAsync(entry.Submission);

        entry.Expects(result.Status).Should().BeTrue("the status was {0}: {1}", result.Status, result.Message);
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the wall limit is 3 s");
        var options = TestSandbox.Environment.Options;
        SandboxProcesses.OwnedByUids(options.SandboxUidBase, options.SandboxUidCount).Should().BeEmpty();

        // The machine is fine: a new process still starts and finishes at once.
        using var probe = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        probe.WaitForExit(5_000).Should().BeTrue();
        probe.ExitCode.Should().Be(0);
    }
}
