using CodeRunner.Sandbox;

namespace CodeRunner.Tests;

public class SubmissionValidationTests
{
    [Fact]
    public void Defaults_are_judge0s()
    {
        var limits = new Submission("print(1)", 71).Limits;
        limits.CpuTimeLimit.Should().Be(5m);
        limits.WallTimeLimit.Should().Be(10m);
        limits.MemoryLimit.Should().Be(128_000);
        limits.MaxProcessesAndOrThreads.Should().Be(60);
        limits.MaxFileSize.Should().Be(1_024);
    }

    [Theory]
    [InlineData(0, 10, 128_000, 60, 1_024, "cpu_time_limit")]
    [InlineData(15.5, 20, 128_000, 60, 1_024, "cpu_time_limit")]
    [InlineData(1, 0.5, 128_000, 60, 1_024, "wall_time_limit")]
    [InlineData(1, 21, 128_000, 60, 1_024, "wall_time_limit")]
    [InlineData(5, 3, 128_000, 60, 1_024, "wall_time_limit")]
    [InlineData(1, 2, 2_047, 60, 1_024, "memory_limit")]
    [InlineData(1, 2, 512_001, 60, 1_024, "memory_limit")]
    [InlineData(1, 2, 128_000, 0, 1_024, "max_processes_and_or_threads")]
    [InlineData(1, 2, 128_000, 121, 1_024, "max_processes_and_or_threads")]
    [InlineData(1, 2, 128_000, 60, -1, "max_file_size")]
    [InlineData(1, 2, 128_000, 60, 4_097, "max_file_size")]
    public void Out_of_range_limits_name_the_judge0_field(double cpu, double wall, int memory, int processes, int fileSize, string field)
    {
        var act = () => new SubmissionLimits((decimal)cpu, (decimal)wall, memory, processes, fileSize);

        var error = act.Should().Throw<SubmissionValidationException>().Which;
        error.Field.Should().Be(field);
        error.ParamName.Should().Be(field);
        error.Message.Should().StartWith(field);
    }

    [Fact]
    public void Unknown_language_is_rejected_with_the_supported_ids()
    {
        var act = () => new Submission("print(1)", 999);

        act.Should().Throw<SubmissionValidationException>()
            .Which.Should().Match<SubmissionValidationException>(e =>
                e.Field == "language_id" && e.Message.Contains("999") && e.Message.Contains("71, 63, 46, 50, 54"));
    }

    [Fact]
    public void Empty_source_is_rejected()
    {
        var act = () => new Submission("  \n", 71);

        act.Should().Throw<SubmissionValidationException>().Which.Field.Should().Be("source_code");
    }

    [Fact]
    public void Validation_errors_are_argument_exceptions()
    {
        var act = () => new SubmissionLimits(memoryLimit: 1);

        act.Should().Throw<ArgumentException>();
    }
}
