using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Outbox.Sqlite;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Tests.Integration;

/// <summary>The README's guard example, as written, against the emulator and a real SQLite file.</summary>
public sealed class ReadmeExampleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paygentic-readme-").FullName;

    [Fact]
    public async Task The_readme_guard_example_charges_the_recorded_usage_once()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        var customer = await emulator.OnboardCustomerAsync(prefundUsd: 10m);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPaygentic(builder.Configuration.GetSection("Paygentic"))
            .AddMeteringGuard(o => o.ReservationPoolSize = 10)
            .AddSqliteOutbox(Path.Combine(_directory, "usage.db"));
        builder.Services.UseEmulator(emulator);   // the README's "Testing your own code": the whole registration, no sockets
        using var host = builder.Build();
        await host.StartAsync();
        var guard = host.Services.GetRequiredService<IMeteringGuard>();

        var result = await guard.RunAsync(
            new MeteredOperation
            {
                CustomerId = customer.CustomerId,
                OperationId = "submission-42",
                EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 5_000 },
            },
            (scope, ct) =>
            {
                scope.SetQuantity("bm_basicsub", 1);
                scope.SetQuantity("bm_exectime", 1_234);
                return Task.FromResult("ran");
            },
            CancellationToken.None);
        await guard.Reports.FlushAsync(CancellationToken.None);
        await host.StopAsync();

        result.Value.Should().Be("ran");
        var ledger = await emulator.GetLedgerAsync(customer.CustomerId);
        var charge = ledger.Charges.Should().ContainSingle().Subject;
        charge.IdempotencyKey.Should().Contain("submission-42");
        charge.Amount.Should().Be(Nanodollars.FromUsd(0.01m + (1_234 * 0.00001m)));
        ledger.InvariantHolds.Should().BeTrue();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
