using System.Diagnostics;
using System.Globalization;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Outbox.Sqlite;

namespace Paygentic.Sdk.WireBench;

/// <summary>
/// <c>outbox --dir D --n N --reps R --callers C --recover 100000 --bound S</c>: durable appends per second of the
/// SQLite outbox (FlushEachCommit: synchronous=FULL, C concurrent writers, as completing guarded operations would write), and the
/// time a new process takes to open the file and load 100,000 pending records.
/// </summary>
internal static class OutboxBench
{
    public static async Task RunAsync(Args args)
    {
        var dir = args.String("dir");
        var n = args.Int("n", 5000);
        var reps = args.Int("reps", 3);
        var callers = args.Int("callers", 16);
        var recover = args.Int("recover", 100_000);
        var bound = args.Seconds("bound", 60);

        await AppendAsync(Path.Combine(dir, "warm.db"), 1000, callers, bound);
        for (var rep = 0; rep < reps; rep++)
        {
            var cost = await AppendAsync(Path.Combine(dir, $"append-{rep}.db"), n, callers, bound);
            Measure.Sample("outbox_appends_per_s", cost.OpsPerSecond);
            Measure.Note($"outbox rep {rep + 1}: {cost.Operations} durable appends, {cost.OpsPerSecond:F0}/s, {cost.CpuMicrosPerOp:F1} us CPU/append");
        }

        var big = Path.Combine(dir, "recover.db");
        await using (var outbox = new SqliteUsageOutbox(big))
        {
            await outbox.InitializeAsync(CancellationToken.None);
            var at = DateTimeOffset.UtcNow;
            for (var start = 0; start < recover; start += 1000)
            {
                var chunk = Enumerable.Range(start, Math.Min(1000, recover - start)).Select(i => Entry("rec-" + i.ToString(CultureInfo.InvariantCulture), at)).ToList();
                await outbox.UpsertAsync(chunk, CancellationToken.None);
            }
        }

        for (var rep = 0; rep < reps; rep++)
        {
            var watch = Stopwatch.StartNew();
            await using var outbox = new SqliteUsageOutbox(big);
            await outbox.InitializeAsync(CancellationToken.None);
            var opened = watch.Elapsed;
            var pending = await outbox.LoadAsync(OutboxEntryState.Pending, CancellationToken.None);
            var unfinished = await outbox.LoadAsync(OutboxEntryState.Authorized, CancellationToken.None);
            watch.Stop();
            if (pending.Count != recover || unfinished.Count != 0)
            {
                throw new InvalidOperationException($"recovered {pending.Count} pending and {unfinished.Count} unfinished, expected {recover} and 0");
            }

            Measure.Sample("outbox_recover_100k_ms", watch.Elapsed.TotalMilliseconds * 100_000 / recover);
            Measure.Note($"outbox recover rep {rep + 1}: {recover} pending records in {watch.Elapsed.TotalMilliseconds:F0} ms (open and check {opened.TotalMilliseconds:F0} ms)");
        }
    }

    private static async Task<RunCost> AppendAsync(string path, int n, int callers, TimeSpan bound)
    {
        // The strictest setting (every commit flushed to disk), not the default: the figure is for durable appends.
        await using var outbox = new SqliteUsageOutbox(new SqliteOutboxOptions { Path = path, FlushEachCommit = true });
        await outbox.InitializeAsync(CancellationToken.None);
        var at = DateTimeOffset.UtcNow;
        return await Measure.RunAsync(n, callers, bound, i => outbox.UpsertAsync([Entry("op-" + i.ToString(CultureInfo.InvariantCulture), at)], CancellationToken.None));
    }

    /// <summary>A completed operation's record, as the guard writes it.</summary>
    internal static OutboxEntry Entry(string id, DateTimeOffset at) => new()
    {
        OperationId = id,
        State = OutboxEntryState.Pending,
        CreatedAt = at,
        Ticket = new MeteringTicket
        {
            OperationId = id,
            CustomerId = "cus_n1o2p3q4r5s6t7u8",
            Strategy = MeteringStrategy.Legacy,
            AuthorizationId = "com_a1b2c3d4e5f6",
            AuthorizationExpiresAt = at.AddHours(1),
            Pooled = true,
            Estimate = new Dictionary<string, long> { ["bm_basicsub"] = 1 },
            AuthorizedAt = at,
            IssuerId = "0123456789abcdef0123456789abcdef",
        },
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
