using System.Globalization;
using Xunit.Abstractions;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>
/// The chaos soak as a test: N guarded operations (PAYGENTIC_SOAK_N, default 2000) against the standalone emulator
/// with faults on, the client process SIGKILLed and restarted three times on the same SQLite outbox; the ledger must
/// show every completed operation charged exactly once, nothing lost, nothing doubled, the wallet exact.
/// </summary>
public sealed class ChaosSoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_completed_operation_is_charged_exactly_once_through_faults_and_three_hard_kills()
    {
        // Read by the project's PrintChaosLine target, which shows the line in `dotnet test`'s normal output.
        var summaryFile = Path.Combine(AppContext.BaseDirectory, "chaos-summary.txt");
        File.Delete(summaryFile);
        var n = Environment.GetEnvironmentVariable("PAYGENTIC_SOAK_N") is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : SoakSupervisor.DefaultOperations;
        var report = await new SoakSupervisor(n, output.WriteLine).RunAsync();
        output.WriteLine(report.Summary);
        Console.WriteLine(report.Summary);
        await File.WriteAllTextAsync(summaryFile, report.Summary + Environment.NewLine);

        report.Problems.Should().BeEmpty();
        report.Duplicates.Should().Be(0);
        report.Lost.Should().Be(0);
        report.Kills.Should().Be(SoakSupervisor.Kills);
    }
}
