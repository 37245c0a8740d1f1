using System.Diagnostics;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Metering.Tests.Infrastructure;
using Paygentic.Sdk.Outbox.Sqlite;
using Xunit.Abstractions;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>
/// Bounded measurements on loopback (real Kestrel at 127.0.0.1), printed to the test output: guarded operations per
/// second with pooling on and off, and reports per second of the batching reporter. They assert only that the
/// ledger is exact; the figures are for the record (2 shared cores, Debug build).
/// </summary>
public sealed class ThroughputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Guarded_operations_per_second_with_pooling_on_and_off_and_reports_per_second()
    {
        await using var emulator = await EmulatorHost.StartAsync(kestrel: true);
        using var client = emulator.NewClient();

        await MeasureAsync(emulator, client, new InMemoryUsageOutbox(), poolSize: 100, callers: 4, perCaller: 100, wait: true); // warm-up (JIT)
        foreach (var wait in new[] { true, false })
        {
            var pooled = await MeasureAsync(emulator, client, new InMemoryUsageOutbox(), poolSize: 100, callers: 8, perCaller: 150, wait);
            var unpooled = await MeasureAsync(emulator, client, new InMemoryUsageOutbox(), poolSize: 1, callers: 8, perCaller: 150, wait);
            await using var sqlite = new SqliteUsageOutbox(_dir.File($"perf-{wait}.db"));
            var pooledSqlite = await MeasureAsync(emulator, client, sqlite, poolSize: 100, callers: 8, perCaller: 150, wait);
            output.WriteLine($"guarded ops/s, 8 callers, loopback, {(wait ? "caller waits for delivery" : "report in background")}: " +
                $"pool=100 {pooled:F0}; pool=1 (no pooling) {unpooled:F0}; pool=100 with SQLite outbox (synchronous=FULL) {pooledSqlite:F0}");
        }

        // Reporter: 10,000 completed reports waiting in the outbox at start, delivered in batches.
        var customer = await emulator.CustomerAsync("200.00");
        var outbox = new InMemoryUsageOutbox();
        var now = DateTimeOffset.UtcNow;
        var entries = Enumerable.Range(0, 10_000).Select(i => Pending(customer, $"rep-{i}", now)).ToList();
        await outbox.UpsertAsync(entries, default);
        await using var guard = new MeteringGuard(client, outbox, new MeteringOptions());
        var watch = Stopwatch.StartNew();
        await guard.StartAsync(default);
        await EmulatorGuardTests.DrainAsync(guard);
        watch.Stop();
        var perSecond = 10_000 / watch.Elapsed.TotalSeconds;
        output.WriteLine($"batching reporter: 10000 reports delivered in {watch.Elapsed.TotalMilliseconds:F0} ms = {perSecond:F0} reports/s");
        ((int)(await emulator.LedgerAsync(customer))["counts"]!["charges"]!).Should().Be(10_000);
    }

    private static async Task<double> MeasureAsync(EmulatorHost emulator, PaygenticClient client, IUsageOutbox outbox, int poolSize, int callers, int perCaller, bool wait)
    {
        var customer = await emulator.CustomerAsync("200.00");
        await using var guard = new MeteringGuard(client, outbox, new MeteringOptions { ReservationPoolSize = poolSize, WaitForDelivery = wait });
        await guard.StartAsync(default);
        var operation = new MeteredOperation { CustomerId = customer, EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1 } };
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < perCaller; i++)
            {
                await guard.RunAsync(operation with { OperationId = $"{prefix}-{c}-{i}" }, (_, _) => Task.FromResult(0));
            }
        }))).WaitAsync(TimeSpan.FromSeconds(60));
        watch.Stop();
        await EmulatorGuardTests.DrainAsync(guard);
        ((int)(await emulator.LedgerAsync(customer))["counts"]!["charges"]!).Should().Be(callers * perCaller);
        return callers * perCaller / watch.Elapsed.TotalSeconds;
    }

    private static OutboxEntry Pending(string customer, string id, DateTimeOffset at) => new()
    {
        OperationId = id,
        State = OutboxEntryState.Pending,
        CreatedAt = at,
        Ticket = new MeteringTicket { OperationId = id, CustomerId = customer, Strategy = MeteringStrategy.Legacy, AuthorizedAt = at, IssuerId = "earlier" },
        Report = new PendingReport
        {
            Strategy = MeteringStrategy.Legacy,
            IdempotencyKey = id + ":usage",
            CustomerId = customer,
            Timestamp = at,
            Quantities = new Dictionary<string, long> { ["bm_basicsub"] = 1 },
        },
    };
}
