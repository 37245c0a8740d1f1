using CodeRunner.Sandbox.Internal;

namespace CodeRunner.Tests;

public class MeterReportTests
{
    [Fact]
    public void Parses_the_helper_report()
    {
        var report = MeterReport.ParseHelper("cpu_us=1234\nwall_us=5678\nmaxrss_kb=9000\ntimed_out=0\nexit_signal=24\n");

        report.Should().Be(new MeterReport(1234, 5678, 9000, null, 24, false));
    }

    [Fact]
    public void Parses_gnu_time_with_and_without_a_signal()
    {
        MeterReport.ParseGnuTime("Command terminated by signal 11\nmeter 0.01 0.02 0.05 8088/0\n")
            .Should().Be(new MeterReport(30_000, 50_000, 8088, null, 11, false));
        MeterReport.ParseGnuTime("Command exited with non-zero status 3\nmeter 0.00 0.00 0.01 8204/3\n")
            .Should().Be(new MeterReport(0, 10_000, 8204, 3, null, false));
    }

    [Fact]
    public void Incomplete_reports_are_rejected()
    {
        MeterReport.ParseHelper("maxrss_kb=1\n").Should().BeNull();
        MeterReport.ParseGnuTime("").Should().BeNull();
    }
}
