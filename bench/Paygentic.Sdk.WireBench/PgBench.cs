using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Outbox.PostgreSql;

namespace Paygentic.Sdk.WireBench;

/// <summary>
/// The PostgreSQL outbox (bench/run starts the server with .ci/postgres, default durability: fsync and
/// synchronous_commit on). <c>pg-outbox --pg CS --n N --reps R --callers 16</c>: durable appends per second, 16 writers
/// sharing group commits. <c>pg-guard --url EMULATOR --pg CS --n N --reps R</c>: guarded operations with no-op work,
/// pooled reservations (10), background reporting: the latency the guard adds (1 caller), operations per second with
/// 16 callers on one replica, and with 16 callers spread over three replicas (three guards, stores and connection pools
/// on one schema, in this one process). <c>--durable-authorizations true</c> makes the open ticket's commit wait for the
/// log flush too (<see cref="PostgreSqlOutboxOptions.DurableAuthorizations"/>; default the option's default, relaxed).
/// Each round uses a fresh schema, dropped afterwards.
/// </summary>
internal static class PgBench
{
    private static readonly Dictionary<string, long> Estimate = new() { ["bm_basicsub"] = 1 };

    public static async Task OutboxAsync(Args args)
    {
        var cs = args.String("pg");
        var n = args.Int("n", 5000);
        var reps = args.Int("reps", 3);
        var callers = args.Int("callers", 16);
        var bound = args.Seconds("bound", 60);
        await using var admin = NpgsqlDataSource.Create(cs);
        for (var rep = -1; rep < reps; rep++)
        {
            var schema = Schema();
            await using (var store = PostgreSqlOutboxStore.Create(cs, new PostgreSqlOutboxOptions { Schema = schema }))
            await using (var outbox = new PostgreSqlUsageOutbox(store))
            {
                await outbox.InitializeAsync(CancellationToken.None);
                var at = DateTimeOffset.UtcNow;
                var count = rep < 0 ? 1000 : n; // rep -1: warm-up (JIT, connections)
                var cost = await Measure.RunAsync(count, callers, bound, i => outbox.UpsertAsync([OutboxBench.Entry("op-" + i.ToString(CultureInfo.InvariantCulture), at)], CancellationToken.None));
                if (rep >= 0)
                {
                    var (writes, batches) = store.WriteStatistics;
                    Measure.Sample("pg_outbox_appends_per_s", cost.OpsPerSecond);
                    Measure.Note($"pg outbox rep {rep + 1}: {cost.Operations} durable appends, {cost.OpsPerSecond:F0}/s, {cost.CpuMicrosPerOp:F1} us CPU/append, {(double)writes / batches:F1} writes per batch");
                }
            }

            await DropAsync(admin, schema);
        }
    }

    public static async Task GuardAsync(Args args)
    {
        var url = new Uri(args.String("url"));
        var cs = args.String("pg");
        var n = args.Int("n", 5000);
        var reps = args.Int("reps", 3);
        var bound = args.Seconds("bound", 60);
        var durable = bool.Parse(args.String("durable-authorizations", new PostgreSqlOutboxOptions().DurableAuthorizations ? "true" : "false"));
        using var client = new PaygenticClient(new PaygenticOptions { ApiKey = "sk_test_emulator", BaseUrl = url, MerchantId = "org_demo" });
        await using var admin = NpgsqlDataSource.Create(cs);
        var customer = await GuardBench.CreateCustomerAsync(client);
        // Warm-up: each shape measured below once (JIT, connections, prepared statements), so the first repetition is not
        // the one that compiles the 16-caller and three-replica paths.
        foreach (var (replicas, callers) in ((int, int)[])[(1, 1), (1, 16), (3, 16), (1, 1)])
        {
            await RoundAsync(client, admin, cs, durable, customer, replicas, callers, Math.Min(n, 2000), bound);
        }
        for (var rep = 0; rep < reps; rep++)
        {
            var (cost, latencies) = await RoundAsync(client, admin, cs, durable, customer, 1, 1, n, bound);
            Measure.Sample("guard_pg_pooled_added_p50_us", Measure.Quantile(latencies, 0.50));
            Measure.Sample("guard_pg_pooled_added_p99_us", Measure.Quantile(latencies, 0.99));
            Measure.Note($"guard pg 1 caller rep {rep + 1}: p50 {Measure.Quantile(latencies, 0.5):F0} us, p99 {Measure.Quantile(latencies, 0.99):F0} us, {cost.OpsPerSecond:F0} ops/s");

            (cost, _) = await RoundAsync(client, admin, cs, durable, customer, 1, 16, n, bound);
            Measure.Sample("guard_pg_ops_per_s", cost.OpsPerSecond);
            Measure.Note($"guard pg 16 callers, 1 replica rep {rep + 1}: {cost.OpsPerSecond:F0} ops/s, {cost.CpuMicrosPerOp:F0} us CPU/op");

            (cost, _) = await RoundAsync(client, admin, cs, durable, customer, 3, 16, n, bound);
            Measure.Sample("guard_pg_3replicas_ops_per_s", cost.OpsPerSecond);
            Measure.Note($"guard pg 16 callers, 3 replicas rep {rep + 1}: {cost.OpsPerSecond:F0} ops/s, {cost.CpuMicrosPerOp:F0} us CPU/op");
        }
    }

    private static async Task<(RunCost Cost, double[] Latencies)> RoundAsync(PaygenticClient client, NpgsqlDataSource admin, string cs, bool durable, string customer, int replicas, int callers, int count, TimeSpan bound)
    {
        var schema = Schema();
        var stores = new List<PostgreSqlOutboxStore>();
        var outboxes = new List<PostgreSqlUsageOutbox>();
        var guards = new List<MeteringGuard>();
        try
        {
            for (var r = 0; r < replicas; r++)
            {
                var store = PostgreSqlOutboxStore.Create(cs, new PostgreSqlOutboxOptions { Schema = schema, InstanceId = $"bench-{r}", DurableAuthorizations = durable });
                stores.Add(store);
                outboxes.Add(new PostgreSqlUsageOutbox(store));
                guards.Add(new MeteringGuard(client, outboxes[r], new MeteringOptions { ReservationPoolSize = 10, WaitForDelivery = false }));
                await guards[r].StartAsync(CancellationToken.None);
            }

            var latencies = new double[count];
            var operation = new MeteredOperation { CustomerId = customer, EstimatedQuantities = Estimate };
            var cost = await Measure.RunAsync(count, callers, bound, async i =>
            {
                var started = Stopwatch.GetTimestamp();
                await guards[(int)(i % replicas)].RunAsync(operation with { OperationId = schema + "-" + i.ToString(CultureInfo.InvariantCulture) }, static (_, _) => Task.FromResult(0)).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            });

            // The background reports are delivered outside the figures.
            foreach (var guard in guards)
            {
                await guard.Reports.FlushAsync(new CancellationTokenSource(bound).Token);
            }

            var measured = latencies.AsSpan(0, cost.Operations).ToArray();
            Array.Sort(measured);
            return (cost, measured);
        }
        finally
        {
            foreach (var guard in guards)
            {
                await guard.DisposeAsync();
            }

            foreach (var outbox in outboxes)
            {
                await outbox.DisposeAsync();
            }

            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }

            await DropAsync(admin, schema);
        }
    }

    private static string Schema() => "bench_" + Guid.NewGuid().ToString("N")[..12];

    private static async Task DropAsync(NpgsqlDataSource admin, string schema)
    {
        await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        await drop.ExecuteNonQueryAsync();
    }
}
