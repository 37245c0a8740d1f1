using CodeRunner.Sandbox;
using CodeRunner.Sandbox.Internal;

namespace CodeRunner.Tests;

/// <summary>The status mapping on its own (the end-to-end tests cover it with real processes).</summary>
public class VerdictTests
{
    private static readonly SubmissionLimits Limits = new(cpuTimeLimit: 1.5m, wallTimeLimit: 3m);

    private static JudgeStatus Decide(int? exitCode, int? signal, decimal cpu = 0.1m, string stdout = "", string stderr = "", string? expected = null, bool timedOut = false) =>
        Verdict.Decide(new MeterReport(0, 0, 0, exitCode, signal, timedOut), false, cpu, Limits, stdout, stderr, expected, "./main").Status;

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
    public void Exec_failure_of_the_program_is_exec_format_error() =>
        Decide(126, null, stderr: "env: './main': Exec format error\n").Should().Be(JudgeStatus.ExecFormatError);

    [Fact]
    public void Missing_program_is_internal_error() =>
        Decide(127, null, stderr: "env: './main': No such file or directory\n").Should().Be(JudgeStatus.InternalError);

    [Fact]
    public void A_program_imitating_the_launcher_among_other_output_is_still_nzec() =>
        Decide(126, null, stderr: "working\nenv: './main': Exec format error\n").Should().Be(JudgeStatus.RuntimeErrorNzec);
}
