using System.Globalization;
using Xunit.Abstractions;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>
/// The fleet chaos soak as a test (PAYGENTIC_SOAK_FLEET_N operations, default 1500, over three replicas sharing one
/// PostgreSQL outbox at PAYGENTIC_TEST_POSTGRES): five hard kills, one replica dead for good; every completed operation
/// charged exactly once, the dead replica's unfinished work finished by a survivor, the wallet exact.
/// </summary>
public sealed class FleetChaosSoakTests(ITestOutputHelper output)
{
    [FleetFact]
    public async Task Three_replicas_on_one_postgresql_outbox_charge_every_operation_once_through_faults_and_five_hard_kills()
    {
        // Read by the project's PrintChaosLine target, which shows the line in `dotnet test`'s normal output.
        var summaryFile = Path.Combine(AppContext.BaseDirectory, "chaos-fleet-summary.txt");
        File.Delete(summaryFile);
        var n = Environment.GetEnvironmentVariable("PAYGENTIC_SOAK_FLEET_N") is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : FleetSupervisor.DefaultOperations;
        var connectionString = Environment.GetEnvironmentVariable(FleetFactAttribute.Variable)
            ?? throw new InvalidOperationException($"{FleetFactAttribute.Variable} is not set, and CI=true makes a missing PostgreSQL server a failure, not a skip.");
        var report = await new FleetSupervisor(connectionString, n, output.WriteLine).RunAsync();
        output.WriteLine(report.Summary);
        Console.WriteLine(report.Summary);
        await File.WriteAllTextAsync(summaryFile, report.Summary + Environment.NewLine);

        report.Problems.Should().BeEmpty();
        report.Duplicates.Should().Be(0);
        report.Lost.Should().Be(0);
        report.Kills.Should().Be(FleetSupervisor.Kills);
        report.RecoveredFromDead.Should().BePositive();
    }
}

/// <summary>Runs against the PostgreSQL server in PAYGENTIC_TEST_POSTGRES; skipped without one, except in CI (a failure there).</summary>
public sealed class FleetFactAttribute : FactAttribute
{
    public const string Variable = "PAYGENTIC_TEST_POSTGRES";

    public FleetFactAttribute()
    {
        var configured = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 };
        var inCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!configured && !inCi)
        {
            Skip = $"{Variable} is not set: start a server with `bash .ci/postgres start /tmp/pg` and export the connection string it prints.";
        }
    }
}
