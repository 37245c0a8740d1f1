using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Metering.Tests.Infrastructure;
using Paygentic.Sdk.Outbox.Sqlite;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>
/// The guard's two gaps, against the in-process emulator: a reused operation id never runs charged work again (nor is
/// called delivered for quantities that were not billed), and pooled reservations outlive the process.
/// </summary>
public sealed class GuardGapTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private static MeteredOperation Op(string customer, string id) => new()
    {
        CustomerId = customer,
        OperationId = id,
        EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 100 },
    };

    private static Func<MeteringScope, CancellationToken, Task<int>> Work(long executionMs, Action? ran = null) => (scope, _) =>
    {
        ran?.Invoke();
        scope.SetQuantity("bm_exectime", executionMs);
        return Task.FromResult(1);
    };

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public async Task A_charged_operation_id_is_refused_after_a_restart_and_its_work_does_not_run_again(int poolSize)
    {
        var customer = await _emulator.CustomerAsync("10.00");
        using var client = _emulator.NewClient();
        var path = _dir.File($"tombstone-{poolSize}.db");
        var options = new MeteringOptions { ReservationPoolSize = poolSize };
        MeteredResult<int> first;
        await using (var outbox = new SqliteUsageOutbox(path))
        await using (var guard = new MeteringGuard(client, outbox, options))
        {
            first = await guard.RunAsync(Op(customer, "sub-once"), Work(250)).WaitAsync(Bound);
            first.ReportState.Should().Be(ReportState.Delivered);
        }

        await using (var outbox = new SqliteUsageOutbox(path))
        await using (var guard = new MeteringGuard(client, outbox, options))
        {
            var ran = false;
            var again = () => guard.RunAsync(Op(customer, "sub-once"), Work(999, () => ran = true));
            var refused = (await again.Should().ThrowAsync<PaygenticOperationAlreadyMeteredException>()).Which;
            ran.Should().BeFalse("the work was charged already");
            refused.EarlierState.Should().Be(OutboxEntryState.Delivered);
            refused.EarlierReceipt!.State.Should().Be(ReportState.Delivered);
            refused.EarlierReceipt.Quantities.Should().BeEquivalentTo(first.Quantities);
            refused.EarlierReceipt.IdempotencyKey.Should().Be("sub-once:usage");
        }

        (await _emulator.ChargesAsync(customer)).Should().ContainSingle().Which.Key.Should().Be("sub-once:usage");
    }

    [Fact]
    public async Task By_option_a_reused_operation_id_returns_the_earlier_receipt_without_running_the_work()
    {
        var customer = await _emulator.CustomerAsync("10.00");
        using var client = _emulator.NewClient();
        await using var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = 10, ReusedOperationId = ReusedOperationIdBehavior.ReturnEarlierReceipt });
        await guard.RunAsync(Op(customer, "sub-twice"), Work(250)).WaitAsync(Bound);

        var ran = false;
        var again = await guard.RunAsync(Op(customer, "sub-twice"), Work(999, () => ran = true)).WaitAsync(Bound);

        ran.Should().BeFalse();
        again.ReportState.Should().Be(ReportState.AlreadyMetered);
        again.Quantities["bm_exectime"].Should().Be(250, "the receipt is the earlier one");
        (await _emulator.ChargesAsync(customer)).Should().ContainSingle();
    }

    [Fact]
    public async Task When_only_the_server_knows_the_key_other_quantities_are_reported_as_a_duplicate_not_as_delivered()
    {
        var customer = await _emulator.CustomerAsync("10.00");
        using var client = _emulator.NewClient();
        var options = new MeteringOptions { ReservationPoolSize = 1 };
        await using (var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), options))
        {
            (await guard.RunAsync(Op(customer, "sub-elsewhere"), Work(250)).WaitAsync(Bound)).ReportState.Should().Be(ReportState.Delivered);
        }

        // Another process (its own outbox, no tombstone) reuses the id for other work.
        await using (var other = new MeteringGuard(client, new InMemoryUsageOutbox(), options))
        {
            var result = await other.RunAsync(Op(customer, "sub-elsewhere"), Work(500)).WaitAsync(Bound);
            result.ReportState.Should().Be(ReportState.Duplicate, "500 ms were not billed: the key was charged for 250");
        }

        var charge = (await _emulator.ChargesAsync(customer)).Should().ContainSingle().Which;
        charge.Amount.Should().Be(Nanodollars.FromUsd(0.01m + (250 * 0.00001m)).Value);
    }

    [Fact]
    public async Task Three_restarts_hold_one_pools_funds_not_four()
    {
        var customer = await _emulator.CustomerAsync("10.00");
        using var client = _emulator.NewClient();
        var path = _dir.File("pool.db");
        var options = new MeteringOptions { ReservationPoolSize = 10, ReservationRefillAhead = false };
        for (var process = 0; process < 4; process++)
        {
            await using var outbox = new SqliteUsageOutbox(path);
            await using var guard = new MeteringGuard(client, outbox, options);
            for (var i = 0; i < 2; i++)
            {
                (await guard.RunAsync(Op(customer, $"sub-{process}-{i}"), Work(100)).WaitAsync(Bound)).ReportState.Should().Be(ReportState.Delivered);
            }
        }

        var ledger = await _emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["reservations"]!).Should().Be(1, "each restart reuses the pool's reservation");
        var hold = ledger["holds"]!.AsArray().Single()!;
        ((int)hold["usedCount"]!).Should().Be(8);
        var charged = ledger["charges"]!.AsArray().Sum(c => (long)c!["fromReservation"]!);
        ((long)ledger["held"]!).Should().Be((long)hold["amount"]! - charged, "what is held is one pool's hold, less what its uses drew");
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
    }

    [Fact]
    public async Task With_refill_ahead_restarts_reuse_both_the_pool_and_the_reservation_made_ahead()
    {
        var customer = await _emulator.CustomerAsync("10.00");
        using var client = _emulator.NewClient();
        var path = _dir.File("pool-ahead.db");
        var options = new MeteringOptions { ReservationPoolSize = 10 };
        for (var process = 0; process < 4; process++)
        {
            // The fifth use (third process) starts the next reservation in the background; stopping waits for it, so
            // the fourth process finds it stored and makes no reservation of its own.
            await using var outbox = new SqliteUsageOutbox(path);
            await using var guard = new MeteringGuard(client, outbox, options);
            for (var i = 0; i < 2; i++)
            {
                (await guard.RunAsync(Op(customer, $"ahead-{process}-{i}"), Work(100)).WaitAsync(Bound)).ReportState.Should().Be(ReportState.Delivered);
            }
        }

        var ledger = await _emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["reservations"]!).Should().Be(2, "the pool's reservation and the one made ahead, each reused across restarts");
        var holds = ledger["holds"]!.AsArray();
        holds.Select(h => (int)h!["usedCount"]!).Should().BeEquivalentTo([8, 0], "eight uses of the first; the one made ahead is not needed yet");
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
    }

    [Fact]
    public async Task A_crash_with_open_tickets_counts_their_uses_and_the_next_process_finishes_the_pool()
    {
        var customer = await _emulator.CustomerAsync("10.00");
        using var client = _emulator.NewClient();
        var path = _dir.File("crash-pool.db");
        var options = new MeteringOptions { ReservationPoolSize = 3, ReservationRefillAhead = false };
        await using (var outbox = new SqliteUsageOutbox(path))
        {
            // A process that authorizes two operations and dies before completing them (nothing is stopped or flushed).
            var crashed = new MeteringGuard(client, outbox, options);
            await crashed.AuthorizeAsync(Op(customer, "open-1")).WaitAsync(Bound);
            await crashed.AuthorizeAsync(Op(customer, "open-2")).WaitAsync(Bound);
        }

        await using (var outbox = new SqliteUsageOutbox(path))
        await using (var guard = new MeteringGuard(client, outbox, options))
        {
            // The two open tickets are recovered (charged at their estimate): one use of three is left for this process.
            await guard.RunAsync(Op(customer, "after-1"), Work(100)).WaitAsync(Bound);
            await guard.RunAsync(Op(customer, "after-2"), Work(100)).WaitAsync(Bound);
            await guard.Reports.FlushAsync().WaitAsync(Bound);
        }

        var ledger = await _emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["reservations"]!).Should().Be(2, "the pool's three uses were spent, then a new pool was reserved");
        (await _emulator.ChargesAsync(customer)).Select(c => c.Key).Should().BeEquivalentTo(["open-1:usage", "open-2:usage", "after-1:usage", "after-2:usage"]);
        ledger["charges"]!.AsArray().Select(c => (string)c!["entitlementId"]!).Distinct().Should().HaveCount(2);
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
    }
}
