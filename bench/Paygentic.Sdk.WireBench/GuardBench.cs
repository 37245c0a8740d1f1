using System.Diagnostics;
using System.Globalization;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Outbox.Sqlite;
using Paygentic.Sdk.Subscriptions;

namespace Paygentic.Sdk.WireBench;

/// <summary>
/// <c>guard --url EMULATOR --dir D --n N --reps R --bound S [--flush true|false] [--prefix P] [--warm-seconds W] [--refill-ahead true|false] [--pool P] [--pool-max M]</c>: guarded operations
/// with no-op work against the emulator, SQLite outbox, background reporting. With no-op work, the whole call is
/// the latency the guard adds. Pooled: one caller (latency, allocation) and 16 callers (throughput); unpooled: one caller.
/// </summary>
internal static class GuardBench
{
    private static readonly Dictionary<string, long> Estimate = new() { ["bm_basicsub"] = 1 };

    public static async Task RunAsync(Args args)
    {
        var url = new Uri(args.String("url"));
        var dir = args.String("dir");
        var n = args.Int("n", 5000);
        var reps = args.Int("reps", 3);
        var bound = args.Seconds("bound", 60);
        // The outbox's own default unless told (FlushEachCommit off: survives a process crash, not a power cut).
        var flush = bool.Parse(args.String("flush", new SqliteOutboxOptions().FlushEachCommit ? "true" : "false"));
        var prefix = args.String("prefix", "guard");
        var refillAhead = bool.Parse(args.String("refill-ahead", new MeteringOptions().ReservationRefillAhead ? "true" : "false"));
        var poolSize = args.Int("pool", 10);
        var poolMax = args.Int("pool-max", new MeteringOptions().ReservationPoolMaxSize);
        using var client = new PaygenticClient(new PaygenticOptions { ApiKey = "sk_test_emulator", BaseUrl = url, MerchantId = "org_demo" });
        var customer = await CreateCustomerAsync(client);
        var run = 0;
        Task<(RunCost Cost, double[] Latencies, Allocation Allocation)> Round(int pool, int callers, int count) =>
            RoundAsync(client, customer, Path.Combine(dir, $"guard-{run++}.db"), flush, refillAhead, pool, Math.Max(pool, poolMax), callers, count, bound);

        // Warm-up until the JIT has settled (tiered compilation of the guard, the outbox, the HTTP path and the reporter
        // goes on for tens of thousands of operations; figures taken before it settles are mostly the JIT's own CPU).
        await WarmUpAsync(client, customer, Path.Combine(dir, "warm-up.db"), flush, TimeSpan.FromSeconds(args.Int("warm-seconds", 20)));
        await Round(1, 1, 500);
        for (var rep = 0; rep < reps; rep++)
        {
            var (cost, latencies, allocation) = await Round(poolSize, 1, n);
            Measure.Sample($"{prefix}_pooled_added_p50_us", Measure.Quantile(latencies, 0.50));
            Measure.Sample($"{prefix}_pooled_added_p99_us", Measure.Quantile(latencies, 0.99));
            Measure.Sample($"{prefix}_alloc_bytes_per_op", allocation.PerOperation);
            Measure.Sample($"{prefix}_caller_alloc_bytes_per_op", allocation.OnCallerThread);
            Measure.Note($"{prefix} pooled 1 caller rep {rep + 1}: p50 {Measure.Quantile(latencies, 0.5):F0} us, p99 {Measure.Quantile(latencies, 0.99):F0} us, {cost.OpsPerSecond:F0} ops/s, {cost.CpuMicrosPerOp:F0} us CPU/op, {allocation.PerOperation:F0} B/op ({allocation.OnCallerThread:F0} on the caller's thread)");

            (cost, _, _) = await Round(poolSize, 16, n);
            Measure.Sample($"{prefix}_pooled_ops_per_s", cost.OpsPerSecond);
            Measure.Note($"{prefix} pooled 16 callers rep {rep + 1}: {cost.OpsPerSecond:F0} ops/s, {cost.CpuMicrosPerOp:F0} us CPU/op");

            (cost, latencies, _) = await Round(1, 1, n);
            Measure.Sample($"{prefix}_unpooled_added_p50_us", Measure.Quantile(latencies, 0.50));
            Measure.Note($"{prefix} unpooled 1 caller rep {rep + 1}: p50 {Measure.Quantile(latencies, 0.5):F0} us, p99 {Measure.Quantile(latencies, 0.99):F0} us, {cost.OpsPerSecond:F0} ops/s");
        }
    }

    /// <summary>Pooled operations from 16 callers, then from one, in one-second windows until each settles (see <see cref="Measure.WarmUpAsync"/>).</summary>
    private static async Task WarmUpAsync(PaygenticClient client, string customer, string path, bool flush, TimeSpan max)
    {
        await using var outbox = new SqliteUsageOutbox(new SqliteOutboxOptions { Path = path, FlushEachCommit = flush });
        await using var guard = new MeteringGuard(client, outbox, new MeteringOptions { ReservationPoolSize = 10, WaitForDelivery = false });
        await guard.StartAsync(CancellationToken.None);
        var operation = new MeteredOperation { CustomerId = customer, EstimatedQuantities = Estimate };
        var next = 0L;
        Task Run(long _) =>
            guard.RunAsync(operation with { OperationId = "warm-" + Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture) }, static (_, _) => Task.FromResult(0));
        foreach (var callers in (int[])[16, 1])
        {
            await Measure.WarmUpAsync(callers, max, Run);
        }

        await guard.Reports.FlushAsync(new CancellationTokenSource(max).Token);
    }

    private static async Task<(RunCost Cost, double[] Latencies, Allocation Allocation)> RoundAsync(PaygenticClient client, string customer, string path, bool flush, bool refillAhead, int pool, int poolMax, int callers, int count, TimeSpan bound)
    {
        await using var outbox = new SqliteUsageOutbox(new SqliteOutboxOptions { Path = path, FlushEachCommit = flush });
        await using var guard = new MeteringGuard(client, outbox, new MeteringOptions { ReservationPoolSize = pool, ReservationPoolMaxSize = poolMax, WaitForDelivery = false, ReservationRefillAhead = refillAhead });
        await guard.StartAsync(CancellationToken.None);
        var latencies = new double[count];
        var tag = Path.GetFileNameWithoutExtension(path) + "-";
        // Each operation (and its id) is made before the run: what is measured is what the guard allocates, not the bench.
        var template = new MeteredOperation { CustomerId = customer, EstimatedQuantities = Estimate };
        var operations = new MeteredOperation[count];
        for (var i = 0; i < count; i++)
        {
            operations[i] = template with { OperationId = tag + i.ToString(CultureInfo.InvariantCulture) };
        }

        long callerBytes = 0, callerOps = 0;
        var before = Measure.Snapshot();
        var cost = await Measure.RunAsync(count, callers, bound, async i =>
        {
            var operation = operations[i];
            var started = Stopwatch.GetTimestamp();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var run = guard.RunAsync(operation, static (_, _) => Task.FromResult(0));
            if (run.IsCompleted)
            {
                // Finished on this thread (a pooled use and the outbox writes done here): all it allocated is the caller's.
                Interlocked.Add(ref callerBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
                Interlocked.Increment(ref callerOps);
            }

            await run.ConfigureAwait(false);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        });

        // Deliver the rest of the background reports: outside the latency figures, inside the allocation per operation
        // (an operation's cost includes sending its report).
        await guard.Reports.FlushAsync(new CancellationTokenSource(bound).Token);
        var after = Measure.Snapshot();
        var measured = latencies.AsSpan(0, cost.Operations).ToArray();
        Array.Sort(measured);
        var allocation = new Allocation((double)(after.Allocated - before.Allocated) / cost.Operations, callerOps == 0 ? double.NaN : (double)callerBytes / callerOps);
        return (cost, measured, allocation);
    }

    /// <summary>Bytes per operation: the whole process (reports delivered included), and the caller's thread alone.</summary>
    private readonly record struct Allocation(double PerOperation, double OnCallerThread);

    /// <summary>A customer with a paid legacy subscription, onboarded through the SDK itself (the emulator runs with --auto-pay).</summary>
    internal static async Task<string> CreateCustomerAsync(PaygenticClient client)
    {
        var customer = await client.Customers.CreateAsync(new CreateCustomerRequest
        {
            Consumer = new NewConsumer { Name = "Bench", Email = $"{Guid.NewGuid():N}@example.com", Address = new Address { Country = "US", State = "CA", ZipCode = "94105" } },
        });
        await client.Subscriptions.CreateAsync(new CreateSubscriptionRequest
        {
            Name = "Bench " + Guid.NewGuid().ToString("N"),
            PlanId = "plan_legacy",
            CustomerId = customer.CustomerId,
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            PrefundAmount = 100_000m,
        });
        return customer.CustomerId;
    }
}
