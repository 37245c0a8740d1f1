using CodeRunner.Sandbox;
using CodeRunner.Sandbox.Internal;

namespace CodeRunner.Tests;

/// <summary>The status mapping on its own (the end-to-end tests cover it with real processes).</summary>
public class VerdictTests
{
    private static readonly SubmissionLimits Limits = new(cpuTimeLimit: 1.5m, wallTimeLimit: 3m);

    private static JudgeStatus Decide(int? exitCode, int? signal, decimal cpu = 0.1m, string stdout = "", string? expected = null, bool timedOut = false, bool memoryExceeded = false) =>
        Verdict.Decide(new MeterReport(0, 0, 0, exitCode, signal, timedOut), false, memoryExceeded, cpu, Limits, stdout, expected).Status;

    [Theory]
    [InlineData(11, 7)]
    [InlineData(25, 8)]
    [InlineData(8, 9)]
    [InlineData(6, 10)]
    [InlineData(24, 5)]
    [InlineData(9, 12)]
    [InlineData(7, 12)]
    public void Signals_map_to_judge0_statuses(int signal, int status) =>
        Decide(null, signal).Id.Should().Be(status);

    [Fact]
    public void Cpu_above_a_fractional_limit_is_tle_even_after_a_clean_exit() =>
        Decide(0, null, cpu: 1.7m).Should().Be(JudgeStatus.TimeLimitExceeded);

    [Fact]
    public void Wall_clock_kill_is_tle() => Decide(null, 9, timedOut: true).Should().Be(JudgeStatus.TimeLimitExceeded);

    [Fact]
    public void Output_is_compared_after_trimming_trailing_whitespace()
    {
        Decide(0, null, stdout: "a  \nb\n\n\n", expected: "a\nb").Should().Be(JudgeStatus.Accepted);
        Decide(0, null, stdout: "a\r\nb \r\n", expected: "a\nb\n").Should().Be(JudgeStatus.Accepted);
        Decide(0, null, stdout: " a\nb", expected: "a\nb").Should().Be(JudgeStatus.WrongAnswer);
        Decide(0, null, stdout: "anything").Should().Be(JudgeStatus.Accepted);
    }

    [Fact]
    public void Non_zero_exit_is_nzec() => Decide(3, null).Should().Be(JudgeStatus.RuntimeErrorNzec);

    [Fact]
    public void A_job_that_hit_its_memory_limit_is_never_accepted_even_after_a_clean_exit()
    {
        Decide(0, null, memoryExceeded: true).Should().Be(JudgeStatus.RuntimeErrorOther);
        Verdict.Decide(new MeterReport(0, 0, 0, 0, null, false), false, true, 0.1m, Limits, "", null).Message.Should().Be("memory limit exceeded");
    }

    [Theory]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(127)]
    public void Launcher_exit_codes_from_the_program_are_its_own_runtime_errors(int exitCode) =>
        // The meter's failures come through its report; a program that exits with a launcher's code (and imitates its
        // message on stderr, see HostileProgramTests) is a runtime error, billed like any other.
        Decide(exitCode, null).Should().Be(JudgeStatus.RuntimeErrorNzec);
}
