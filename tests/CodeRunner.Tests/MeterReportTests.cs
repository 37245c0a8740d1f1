using CodeRunner.Sandbox.Internal;

namespace CodeRunner.Tests;

public class MeterReportTests
{
    [Fact]
    public void Parses_the_meter_report()
    {
        var report = MeterReport.Parse("cpu_us=1234\nwall_us=5678\nmaxrss_kb=9000\ntimed_out=0\nexit_signal=24\n");

        report.Should().Be(new MeterReport(1234, 5678, 9000, null, 24, false));
    }

    [Fact]
    public void An_error_line_means_the_program_never_ran()
    {
        var report = MeterReport.Parse("error=exec ./main: Exec format error\ncpu_us=0\nwall_us=10\nmaxrss_kb=1\ntimed_out=0\nexit_code=125\n");

        report!.Error.Should().Be("exec ./main: Exec format error");
    }

    [Fact]
    public void Incomplete_reports_are_rejected() => MeterReport.Parse("maxrss_kb=1\n").Should().BeNull();
}
