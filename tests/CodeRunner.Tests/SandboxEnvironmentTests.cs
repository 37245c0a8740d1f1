using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;
using Xunit.Abstractions;
using static CodeRunner.Tests.Infrastructure.Judge0Languages;

namespace CodeRunner.Tests;

public class SandboxEnvironmentTests(ITestOutputHelper output)
{
    [Fact]
    public void Detection_reports_isolation_memory_meter_and_languages()
    {
        var environment = TestSandbox.Environment;
        output.WriteLine(environment.Describe());

        environment.IsolationDescription.Should().NotBeNullOrWhiteSpace();
        if (Environment.IsPrivilegedProcess && environment.Isolation == IsolationLevel.Bubblewrap)
        {
            environment.DropsToSandboxUid.Should().BeTrue("as root every job runs as a uid of its own");
            environment.IsolationDescription.Should().Contain("host-unique uid per job");
        }

        (environment.Languages.Available.Count + environment.Languages.Unavailable.Count).Should().Be(LanguageRegistry.KnownIds.Count);
        environment.Languages.Available.Where(l => l.Id is C or Cpp).Should().OnlyContain(l => l.Tier == LanguageTier.Premium && l.IsCompiled);
        environment.Languages.Available.Where(l => l.Id is Python or JavaScript or Bash).Should().OnlyContain(l => l.Tier == LanguageTier.Basic && !l.IsCompiled);
    }

    [Fact]
    public void Ci_has_the_full_sandbox()
    {
        // CI runs as root with bubblewrap installed and cgroup v1 mounted: a weaker sandbox there would skip the hostile
        // suite, so it is a failure, not a skip.
        if (Environment.GetEnvironmentVariable("CI") != "true")
        {
            return;
        }

        TestSandbox.Environment.Isolation.Should().Be(IsolationLevel.Bubblewrap, string.Join("; ", TestSandbox.Environment.ProbeNotes));
        TestSandbox.Environment.Memory.Should().Be(MemoryEnforcement.CgroupV1, string.Join("; ", TestSandbox.Environment.ProbeNotes));
    }

    [Fact]
    public void Catalogue_names_are_unique_and_cover_each_language()
    {
        var all = SubmissionCatalogue.All;
        all.Select(e => e.Name).Should().OnlyHaveUniqueItems();
        foreach (int id in LanguageRegistry.KnownIds)
        {
            all.Where(e => e.Submission.LanguageId == id).Select(e => e.ExpectedStatuses[0])
                .Should().Contain([JudgeStatus.Accepted, JudgeStatus.WrongAnswer, JudgeStatus.RuntimeErrorNzec]);
        }

        all.Where(e => e.IsHostile).Select(e => e.Name).Should().Contain(
            ["hostile-infinite-loop", "hostile-fork-bomb", "hostile-memory-hog", "hostile-network", "hostile-output-flood", "hostile-file-flood"]);
        SubmissionCatalogue.For(TestSandbox.Environment.Languages)
            .Should().OnlyContain(e => TestSandbox.Environment.Languages.IsAvailable(e.Submission.LanguageId));
    }

    [Fact]
    public async Task Without_bubblewrap_untrusted_code_is_refused_and_the_reason_says_how_to_install_it()
    {
        var executor = await SandboxExecutor.CreateAsync(new SandboxOptions { BubblewrapMissing = true });

        executor.Environment.Isolation.Should().Be(IsolationLevel.Unavailable);
        executor.Environment.ProbeNotes.Should().Contain(note => note.Contains("apt-get install -y bubblewrap"));
        var result = await executor.ExecuteAsync(new Submission("print(1)\n", Python));
        result.Status.Should().Be(JudgeStatus.InternalError);
        result.Message.Should().Contain("bubblewrap");
    }

    [SandboxFact(IsolationLevel.Unavailable, Python)]
    public async Task Unsandboxed_only_when_allowed_explicitly_and_it_says_so()
    {
        var executor = await SandboxExecutor.CreateAsync(new SandboxOptions { BubblewrapMissing = true, AllowUnsandboxed = true });

        executor.Environment.Isolation.Should().Be(IsolationLevel.Unsandboxed);
        executor.Environment.Memory.Should().Be(MemoryEnforcement.PerProcessAddressSpace);
        executor.Environment.IsolationDescription.Should().Contain("UNSANDBOXED");
        (await executor.ExecuteAsync(SubmissionCatalogue.Get("python-hello").Submission)).Status.Should().Be(JudgeStatus.Accepted);
        var loop = await executor.ExecuteAsync(SubmissionCatalogue.Get("hostile-infinite-loop").Submission);
        loop.Status.Should().Be(JudgeStatus.TimeLimitExceeded);
        loop.Isolation.Should().Be(IsolationLevel.Unsandboxed);
    }
}
