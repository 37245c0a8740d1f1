using System.Diagnostics;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.WireBench;

/// <summary>
/// <c>reporter --url U --n 100000 --reps R --bound S</c>: the batching reporter delivering N completed reports found in
/// the outbox at start (in-memory outbox, so the figure is the reporter's and the client's, not the disk's).
/// </summary>
internal static class ReporterBench
{
    public static async Task RunAsync(Args args)
    {
        var url = new Uri(args.String("url"));
        var n = args.Int("n", 100_000);
        var reps = args.Int("reps", 3);
        var bound = args.Seconds("bound", 60);
        var queue = args.Int("queue", new MeteringOptions().QueueCapacity);
        using var client = new PaygenticClient(new PaygenticOptions { ApiKey = "sk_bench", BaseUrl = url, MerchantId = "org_demo" });

        // Warm-up rounds of the full size until two in a row cost the same CPU per report (within 10 %, at most 5): a
        // round lasts about half a second, shorter than tiered compilation takes to settle, and the JIT's own thread
        // would otherwise be charged to the reporter.
        var previous = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var warm = await DeliverAsync(client, "warm" + round, n, queue, bound);
            var settled = Math.Abs(warm.CpuMicrosPerOp - previous) <= 0.1 * previous;
            previous = warm.CpuMicrosPerOp;
            if (settled)
            {
                Measure.Note($"reporter warmed up after {round + 1} rounds ({warm.CpuMicrosPerOp:F2} us CPU/report)");
                break;
            }

            if (round == 4)
            {
                Measure.Note($"reporter warm-up stopped after 5 rounds before settling (last {warm.CpuMicrosPerOp:F2} us CPU/report)");
            }
        }

        for (var rep = 0; rep < reps; rep++)
        {
            var cost = await DeliverAsync(client, "rep" + rep, n, queue, bound);
            Measure.Sample("reporter_events_per_s", cost.OpsPerSecond);
            Measure.Sample("reporter_cpu_us_per_event", cost.CpuMicrosPerOp);
            Measure.Note($"reporter rep {rep + 1}: {cost.Operations} reports in {cost.Wall.TotalMilliseconds:F0} ms, {cost.CpuMicrosPerOp:F2} us CPU/report, {cost.BytesPerOp:F0} B/report, GCs {cost.Collections}");
        }
    }

    private static async Task<RunCost> DeliverAsync(PaygenticClient client, string prefix, int n, int queue, TimeSpan bound)
    {
        var outbox = new InMemoryUsageOutbox();
        await outbox.InitializeAsync(CancellationToken.None);
        var at = DateTimeOffset.UtcNow;
        var entries = new List<OutboxEntry>(n);
        for (var i = 0; i < n; i++)
        {
            entries.Add(Pending($"{prefix}-{i}", at));
        }

        await outbox.UpsertAsync(entries, CancellationToken.None);
        entries.Clear();
        GC.Collect();

        await using var guard = new MeteringGuard(client, outbox, new MeteringOptions { QueueCapacity = queue });
        var before = Measure.Snapshot();
        var watch = Stopwatch.StartNew();
        await guard.StartAsync(CancellationToken.None);
        // Poll rather than FlushAsync: a flush attaches a waiter to every report, which is not what the reporter costs.
        while (guard.Reports.PendingCount > 0 && watch.Elapsed < bound)
        {
            await Task.Delay(1);
        }

        watch.Stop();
        var after = Measure.Snapshot();
        var delivered = n - guard.Reports.PendingCount;
        return new RunCost(delivered, watch.Elapsed, after.Cpu - before.Cpu, after.Allocated - before.Allocated) { Collections = Measure.Collections(before) };
    }

    private static OutboxEntry Pending(string id, DateTimeOffset at) => new()
    {
        OperationId = id,
        State = OutboxEntryState.Pending,
        CreatedAt = at,
        Ticket = new MeteringTicket { OperationId = id, CustomerId = "cus_n1o2p3q4r5s6t7u8", Strategy = MeteringStrategy.Legacy, AuthorizedAt = at, IssuerId = "earlier" },
        Report = new PendingReport
        {
            Strategy = MeteringStrategy.Legacy,
            IdempotencyKey = id + ":usage",
            CustomerId = "cus_n1o2p3q4r5s6t7u8",
            Timestamp = at,
            Quantities = new Dictionary<string, long> { ["bm_basicsub"] = 1 },
            EntitlementId = "com_a1b2c3d4e5f6",
        },
    };
}
