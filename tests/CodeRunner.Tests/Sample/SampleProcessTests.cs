using System.Diagnostics;
using System.Text.RegularExpressions;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Sample;

/// <summary>The built sample as a user runs it: a child process, its output and its exit code.</summary>
public sealed partial class SampleProcessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [SandboxFact(71)]
    public async Task The_sample_runs_a_subset_against_its_embedded_emulator_and_ends_with_the_summary_line()
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, stdout, stderr) = await SampleProcess.RunAsync(Bound, "--only", "python-hello,hostile-infinite-loop");

        exitCode.Should().Be(0, stdout + stderr);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60));
        stdout.Should().Contain("Sandbox isolation: ").And.Contain("embedded Paygentic emulator at http://127.0.0.1:");
        stdout.Should().Contain("3 Accepted").And.Contain("5 Time Limit Exceeded").And.Contain("Customer portal: http://127.0.0.1:");
        string last = stdout.TrimEnd().Split('\n')[^1];
        last.Should().MatchRegex(Summary());
        Match summary = Summary().Match(last);
        decimal total = decimal.Parse(summary.Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture);
        decimal balance = decimal.Parse(summary.Groups["balance"].Value, System.Globalization.CultureInfo.InvariantCulture);
        balance.Should().Be(10.00m - total, "a fresh embedded emulator, $10 prefund, one used-up reservation per submission");
    }

    [SandboxFact(71)]
    public async Task Standard_billing_from_the_command_line_completes_without_a_wallet_charge()
    {
        var (exitCode, stdout, stderr) = await SampleProcess.RunAsync(Bound, "--billing", "standard", "--only", "python-hello");

        exitCode.Should().Be(0, stdout + stderr);
        stdout.Should().Contain("Feature 'submissions': 1 used this period, 999 left");
        stdout.TrimEnd().Split('\n')[^1].Should().Be("summary: submissions=1 accepted=1 charged=1 not_charged=0 total_usd=0.002 balance_usd=10.00");
    }

    [Fact]
    public async Task A_bad_switch_exits_2_with_the_usage_text()
    {
        var (exitCode, _, stderr) = await SampleProcess.RunAsync(Bound, "--billing", "postpaid");

        exitCode.Should().Be(2);
        stderr.Should().Contain("--billing must be legacy or standard").And.Contain("usage: dotnet run --project samples/CodeRunner");
    }

    [Fact]
    public async Task Half_a_server_configuration_is_refused_rather_than_guessed()
    {
        var onlyTheKey = new Dictionary<string, string> { ["PAYGENTIC_API_KEY"] = "sk_test_somewhere_else" };
        var (exitCode, stdout, stderr) = await SampleProcess.RunAsync(Bound, onlyTheKey, "--only", "python-hello");

        exitCode.Should().Be(2);
        stderr.Should().Contain("set all of PAYGENTIC_API_KEY, PAYGENTIC_BASE_URL and PAYGENTIC_MERCHANT_ID");
        stdout.Should().NotContain("summary:");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/v0", "Paygentic:BaseUrl must not end in a version segment such as /v0")]
    [InlineData("http://billing.example.com", "plain http is allowed only for loopback addresses")]
    public async Task A_server_option_the_sdk_refuses_exits_2_with_its_message_and_no_stack_trace(string baseUrl, string message)
    {
        var environment = new Dictionary<string, string>
        {
            ["PAYGENTIC_API_KEY"] = "sk_test_not_shown",
            ["PAYGENTIC_BASE_URL"] = baseUrl,
            ["PAYGENTIC_MERCHANT_ID"] = "org_demo",
        };
        var (exitCode, stdout, stderr) = await SampleProcess.RunAsync(Bound, environment, "--only", "python-hello");

        exitCode.Should().Be(2, stdout + stderr);
        stderr.Should().Contain(message).And.NotContain("   at ").And.NotContain("Exception").And.NotContain("sk_test_not_shown");
        stdout.Should().NotContain("summary:");
    }

    [Fact]
    public async Task Help_shows_operation_ids_as_the_run_makes_them()
    {
        var (exitCode, stdout, _) = await SampleProcess.RunAsync(Bound, "--help");

        exitCode.Should().Be(0);
        stdout.Should().Contain("operation ids are cr-<run-id>-<submission>");
    }

    [GeneratedRegex(@"^summary: submissions=2 accepted=1 charged=2 not_charged=0 total_usd=(?<total>\d+\.\d+) balance_usd=(?<balance>\d+\.\d+)$")]
    private static partial Regex Summary();
}
