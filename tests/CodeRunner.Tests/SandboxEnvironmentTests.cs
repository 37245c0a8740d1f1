using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;
using Xunit.Abstractions;
using static CodeRunner.Tests.Infrastructure.Judge0Languages;

namespace CodeRunner.Tests;

public class SandboxEnvironmentTests(ITestOutputHelper output)
{
    [Fact]
    public void Detection_reports_isolation_meter_and_languages()
    {
        var environment = TestSandbox.Environment;
        output.WriteLine(environment.Describe());

        environment.IsolationDescription.Should().NotBeNullOrWhiteSpace();
        if (Environment.IsPrivilegedProcess && environment.Isolation >= IsolationLevel.UserNamespace)
        {
            environment.Isolation.Should().Be(IsolationLevel.NamespacesAndUidDrop, "as root the strongest level is tried first");
        }

        (environment.Languages.Available.Count + environment.Languages.Unavailable.Count).Should().Be(LanguageRegistry.KnownIds.Count);
        environment.Languages.Available.Where(l => l.Id is C or Cpp).Should().OnlyContain(l => l.Tier == LanguageTier.Premium && l.IsCompiled);
        environment.Languages.Available.Where(l => l.Id is Python or JavaScript or Bash).Should().OnlyContain(l => l.Tier == LanguageTier.Basic && !l.IsCompiled);
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

    [SandboxFact(IsolationLevel.UserNamespace, Python)]
    public async Task User_namespace_mode_isolates_network_and_environment_without_a_uid_drop()
    {
        var executor = await SandboxExecutor.CreateAsync(new SandboxOptions { MaxIsolation = IsolationLevel.UserNamespace });
        executor.Environment.Isolation.Should().Be(IsolationLevel.UserNamespace);

        (await executor.ExecuteAsync(SubmissionCatalogue.Get("python-hello").Submission)).Status.Should().Be(JudgeStatus.Accepted);
        var network = await executor.ExecuteAsync(SubmissionCatalogue.Get("hostile-network").Submission);
        network.Stdout.Should().Contain("blocked 1.1.1.1:53").And.NotContain("connected");
        var env = await executor.ExecuteAsync(SubmissionCatalogue.Get("hostile-env-dump").Submission);
        env.Stdout!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')[0]).Should().BeEquivalentTo("PATH", "HOME", "TMPDIR", "LANG");
    }

    [SandboxFact(Python)]
    public async Task Rlimits_only_mode_still_runs_and_limits_cpu()
    {
        var executor = await SandboxExecutor.CreateAsync(new SandboxOptions { MaxIsolation = IsolationLevel.RlimitsOnly });
        executor.Environment.Isolation.Should().Be(IsolationLevel.RlimitsOnly);
        executor.Environment.IsolationDescription.Should().Contain("NO network isolation");

        (await executor.ExecuteAsync(SubmissionCatalogue.Get("python-hello").Submission)).Status.Should().Be(JudgeStatus.Accepted);
        (await executor.ExecuteAsync(SubmissionCatalogue.Get("hostile-infinite-loop").Submission)).Status.Should().Be(JudgeStatus.TimeLimitExceeded);
    }

    [GnuTimeFact]
    public async Task Gnu_time_fallback_measures_and_times_out()
    {
        var executor = await SandboxExecutor.CreateAsync(new SandboxOptions { PreferGnuTime = true });
        executor.Environment.MeterDescription.Should().StartWith("GNU time");

        var hello = await executor.ExecuteAsync(SubmissionCatalogue.Get("python-hello").Submission);
        hello.Status.Should().Be(JudgeStatus.Accepted);
        hello.ExecutionMilliseconds.Should().BeGreaterThanOrEqualTo(1);
        var sleep = await executor.ExecuteAsync(SubmissionCatalogue.Get("hostile-sleep").Submission);
        sleep.Status.Should().Be(JudgeStatus.TimeLimitExceeded);
        var segfault = await executor.ExecuteAsync(new Submission("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n", Python));
        segfault.Status.Should().Be(JudgeStatus.RuntimeErrorSigsegv);
    }
}
