using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Metering.Tests.Infrastructure;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>The guard end to end against the stateful emulator, in process (no sockets).</summary>
public sealed class EmulatorGuardTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private static MeteredOperation Legacy(string customer, string id) => new()
    {
        CustomerId = customer,
        OperationId = id,
        EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 100 },
    };

    [Fact]
    public async Task Legacy_happy_path_charges_the_actual_usage_once_from_the_reservation()
    {
        var customer = await _emulator.CustomerAsync("10.00");
        using var client = _emulator.NewClient();
        await using var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = 1 });
        var result = await guard.RunAsync(Legacy(customer, "sub-legacy-1"), (scope, _) => { scope.SetQuantity("bm_exectime", 250); return Task.FromResult("accepted"); }).WaitAsync(Bound);

        result.ReportState.Should().Be(ReportState.Delivered);
        var ledger = await _emulator.LedgerAsync(customer);
        var charge = ledger["charges"]!.AsArray().Single()!;
        ((string)charge["idempotencyKey"]!).Should().Be("sub-legacy-1:usage");
        ((string)charge["entitlementId"]!).Should().Be(result.AuthorizationId);
        ((long)charge["amount"]!).Should().Be(Nanodollars.FromUsd(0.01m + (250 * 0.00001m)).Value);
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
    }

    [Fact]
    public async Task Standard_happy_path_checks_access_and_sends_one_event()
    {
        var customer = await _emulator.CustomerAsync(null, "plan_standard");
        using var client = _emulator.NewClient();
        await using var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions
        {
            Strategy = MeteringStrategy.Standard,
            EventType = "code.submission",
            FeatureKey = "submissions",
            ProductId = "prod_codeexec",
        });
        var result = await guard.RunAsync(new MeteredOperation { CustomerId = customer, OperationId = "sub-std-1" }, (scope, _) => { scope.SetQuantity("executionMs", 40); return Task.FromResult(0); }).WaitAsync(Bound);
        result.ReportState.Should().Be(ReportState.Delivered);
        result.AuthorizationId.Should().StartWith("ent_");
        var events = await _emulator.EventsAsync(customer);
        ((int)events["count"]!).Should().Be(1);
        ((string)events["events"]![0]!["idempotencyKey"]!).Should().Be("sub-std-1:event");

        // A customer without the feature is refused before any work.
        var bare = await _emulator.BareCustomerAsync();
        var ran = false;
        (await guard.Invoking(g => g.RunAsync(new MeteredOperation { CustomerId = bare, OperationId = "sub-std-2" }, (_, _) => { ran = true; return Task.FromResult(0); }))
            .Should().ThrowAsync<PaygenticPaymentRequiredException>()).Which.ReasonCode.Should().Be(PaygenticPaymentRequiredException.NoAccess);
        ran.Should().BeFalse();
    }

    [Fact]
    public async Task Denied_for_no_subscription_or_no_funds_the_work_never_runs()
    {
        using var client = _emulator.NewClient();
        await using var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = 1 });
        var ran = 0;
        var bare = await _emulator.BareCustomerAsync();
        (await guard.Invoking(g => g.RunAsync(Legacy(bare, "deny-1"), (_, _) => Task.FromResult(++ran)))
            .Should().ThrowAsync<PaygenticPaymentRequiredException>()).Which.ReasonCode.Should().Be("NO_ACTIVE_SUBSCRIPTION");
        var poor = await _emulator.CustomerAsync("1.00");
        var expensive = Legacy(poor, "deny-2") with { EstimatedQuantities = new Dictionary<string, long> { ["bm_exectime"] = 1_000_000 } };
        (await guard.Invoking(g => g.RunAsync(expensive, (_, _) => Task.FromResult(++ran)))
            .Should().ThrowAsync<PaygenticPaymentRequiredException>()).Which.ReasonCode.Should().Be("INSUFFICIENT_FUNDS");
        ran.Should().Be(0);
        (await _emulator.ChargesAsync(poor)).Should().BeEmpty();
    }

    [Fact]
    public async Task Work_that_throws_is_not_charged_and_the_hold_is_not_used()
    {
        var customer = await _emulator.CustomerAsync("10.00");
        using var client = _emulator.NewClient();
        await using var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = 1 });
        await guard.Invoking(g => g.RunAsync<int>(Legacy(customer, "throws-1"), (_, _) => throw new InvalidOperationException("boom"))).Should().ThrowAsync<InvalidOperationException>();
        await guard.Reports.FlushAsync().WaitAsync(Bound);
        (await _emulator.ChargesAsync(customer)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_charge_applied_then_its_connection_dropped_is_retried_with_the_same_key_and_charged_once()
    {
        var customer = await _emulator.CustomerAsync("50.00");
        await _emulator.SetFaultsAsync(new Paygentic.Sdk.Testing.EmulatorFaults { AbortAfterRate = 0.5, PathPrefix = "/v0/usage", Seed = 11 });
        using var client = _emulator.NewClient(o => o.Retry.CircuitBreakerEnabled = false);
        await using var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = 10, RetryBaseDelay = TimeSpan.FromMilliseconds(20) });
        for (var i = 0; i < 40; i++)
        {
            await guard.RunAsync(Legacy(customer, $"abort-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        }

        await DrainAsync(guard);
        await _emulator.ClearFaultsAsync();
        var charges = await _emulator.ChargesAsync(customer);
        charges.Select(c => c.Key).Should().OnlyHaveUniqueItems().And.HaveCount(40);
        charges.Select(c => c.Key).Should().BeEquivalentTo(Enumerable.Range(0, 40).Select(i => $"abort-{i}:usage"));
    }

    [Fact]
    public async Task While_the_server_is_down_reports_queue_and_are_delivered_later()
    {
        var customer = await _emulator.CustomerAsync("20.00");
        // No circuit breaker: it would stay open for its break duration in real time after the outage, and this test
        // waits on no clock (the reporter's own flush delivers what queued); the breaker has tests of its own.
        using var client = _emulator.NewClient(o => { o.Retry.MaxRetries = 1; o.Retry.CircuitBreakerEnabled = false; });
        await using var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions
        {
            ReservationPoolSize = 20,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(200),
            DeliveryWaitTimeout = TimeSpan.FromSeconds(2),
        });
        await guard.RunAsync(Legacy(customer, "down-warmup"), (_, _) => Task.FromResult(0)).WaitAsync(Bound); // the pool is filled
        await _emulator.SetFaultsAsync(new Paygentic.Sdk.Testing.EmulatorFaults { Error503Rate = 1.0, PathPrefix = "/v0/usage" });
        var states = new List<ReportState>();
        for (var i = 0; i < 10; i++)
        {
            states.Add((await guard.RunAsync(Legacy(customer, $"down-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound)).ReportState);
        }

        states.Should().AllBeEquivalentTo(ReportState.Queued, "the work succeeded; its report waits");
        guard.Reports.PendingCount.Should().Be(10);
        await _emulator.ClearFaultsAsync();
        await DrainAsync(guard);
        (await _emulator.ChargesAsync(customer)).Select(c => c.Key).Should().HaveCount(11).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_pool_costs_one_reservation_per_maxUses_operations_and_overspend_stays_bounded_when_funds_run_out()
    {
        // $1.00 buys 100 basic submissions at $0.01; each reservation holds 10 of them.
        var customer = await _emulator.CustomerAsync("1.00");
        using var client = _emulator.NewClient();
        await using var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = 10, ReservationPoolMaxSize = 10 });
        var operation = new MeteredOperation { CustomerId = customer, EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1 } };
        var authorized = 0;
        PaygenticPaymentRequiredException? denied = null;
        for (var i = 0; i < 120 && denied is null; i++)
        {
            try
            {
                await guard.RunAsync(operation with { OperationId = $"pool-{i}" }, (_, _) => Task.FromResult(0)).WaitAsync(Bound);
                authorized++;
            }
            catch (PaygenticPaymentRequiredException e)
            {
                denied = e;
            }
        }

        await DrainAsync(guard);
        denied.Should().NotBeNull().And.Subject.As<PaygenticPaymentRequiredException>().ReasonCode.Should().Be("INSUFFICIENT_FUNDS");
        authorized.Should().Be(100, "every funded operation ran; none beyond the funds");
        var ledger = await _emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["reservations"]!).Should().Be(10, "⌈100 / 10⌉ reservations");
        ((int)ledger["counts"]!["charges"]!).Should().Be(100);
        ((long)ledger["balance"]!).Should().Be(0);
        (await guard.Reports.GetDeadLettersAsync()).Should().BeEmpty("no operation ran unpaid");
    }

    [Fact]
    public async Task A_pool_that_runs_out_before_its_refill_arrives_reserves_twice_the_uses_next_time()
    {
        await using var pooled = await GatedPoolAsync(holdRequest: 2);
        var (gate, guard, customer) = (pooled.Gate, pooled.Guard, pooled.CustomerId);
        Task<MeteredResult<int>> Run(int i) => pooled.RunAsync($"grow-{i}");

        // The second use leaves the four-use reservation half spent: the next is asked for, and its answer held back.
        for (var i = 0; i < 4; i++)
        {
            await Run(i).WaitAsync(Bound);
            if (i == 1)
            {
                await gate.Held.WaitAsync(Bound);
            }
        }

        // Spent before the reservation made ahead arrived: the fifth operation waits for it.
        var fifth = Run(4);
        fifth.IsCompleted.Should().BeFalse("the pool is empty and its refill is held back");
        gate.Release();
        await fifth.WaitAsync(Bound);

        // The second use of that reservation asks for the next one: twice the uses.
        await Run(5).WaitAsync(Bound);
        await gate.AskedAsync(3).WaitAsync(Bound);
        gate.MaxUses.Should().Equal(4, 4, 8);
        await DrainAsync(guard);
        var ledger = await _emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["charges"]!).Should().Be(6);
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
    }

    [Fact]
    public async Task An_operation_that_waits_while_a_caller_reserves_for_an_empty_pool_doubles_the_next_reservation()
    {
        await using var pooled = await GatedPoolAsync(holdRequest: 1);
        var (gate, guard, customer) = (pooled.Gate, pooled.Guard, pooled.CustomerId);
        Task<MeteredResult<int>> Run(int i) => pooled.RunAsync($"empty-{i}");

        // The first operation finds the pool empty and reserves; its answer is held back while a second one arrives.
        var first = Run(0);
        await gate.Held.WaitAsync(Bound);
        var second = Run(1);
        second.IsCompleted.Should().BeFalse("the pool is empty and its reservation is on its way");
        gate.Release();
        await Task.WhenAll(first, second).WaitAsync(Bound);

        // The third use leaves the reservation half spent: the one made ahead is for twice the uses.
        await Run(2).WaitAsync(Bound);
        await gate.AskedAsync(2).WaitAsync(Bound);
        gate.MaxUses.Should().Equal(4, 8);
        await DrainAsync(guard);
        ((int)(await _emulator.LedgerAsync(customer))["counts"]!["charges"]!).Should().Be(3);
    }

    [Fact]
    public async Task Sixteen_parallel_callers_times_500_operations_leave_an_exact_ledger()
    {
        var customer = await _emulator.CustomerAsync("100.00");
        using var client = _emulator.NewClient();
        await using var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = 100, WaitForDelivery = false });
        var operation = new MeteredOperation { CustomerId = customer, EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1 } };
        await Task.WhenAll(Enumerable.Range(0, 16).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                await guard.RunAsync(operation with { OperationId = $"c{caller}-{i}" }, (_, _) => Task.FromResult(0));
            }
        }))).WaitAsync(TimeSpan.FromSeconds(90));
        await DrainAsync(guard);

        var ledger = await _emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["charges"]!).Should().Be(8000);
        ((long)ledger["charged"]!).Should().Be(8000 * Nanodollars.FromUsd(0.01m).Value);
        ((int)ledger["counts"]!["reservations"]!).Should().BeInRange(8000 / 1000, 80 + 16, "from 100 to 1,000 uses each (the pool grows with the demand), plus at most a partly used one per racing caller");
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
    }

    /// <summary>
    /// A guard pooling from 4 to 16 uses for a new customer, over a client whose <paramref name="holdRequest"/>-th
    /// reservation answer is held back by a <see cref="ReservationGate"/>.
    /// </summary>
    private async Task<GatedPool> GatedPoolAsync(int holdRequest)
    {
        var customer = await _emulator.CustomerAsync("10.00");
        var gate = new ReservationGate(holdRequest, _emulator.Emulator.CreateHandler());
        var client = new PaygenticClient(EmulatorHost.ClientOptions(_emulator.BaseUrl), gate);
        var guard = new MeteringGuard(client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = 4, ReservationPoolMaxSize = 16 });
        return new GatedPool(customer, gate, client, guard);
    }

    private sealed record GatedPool(string CustomerId, ReservationGate Gate, PaygenticClient Client, MeteringGuard Guard) : IAsyncDisposable
    {
        private readonly MeteredOperation _operation = new() { CustomerId = CustomerId, EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1 } };

        public Task<MeteredResult<int>> RunAsync(string operationId) =>
            Guard.RunAsync(_operation with { OperationId = operationId }, (_, _) => Task.FromResult(0));

        public async ValueTask DisposeAsync()
        {
            await Guard.DisposeAsync();
            Client.Dispose();
            Gate.Dispose();
        }
    }

    /// <summary>
    /// Flushes until nothing is pending: each flush sends every pending report and awaits each outcome (no clock is read
    /// or waited on); a report that failed again is sent by the next one. Bounded in rounds, not in time.
    /// </summary>
    internal static async Task DrainAsync(IMeteringGuard guard, int maxFlushes = 100)
    {
        for (var i = 0; i < maxFlushes && guard.Reports.PendingCount > 0; i++)
        {
            await guard.Reports.FlushAsync().WaitAsync(Bound);
        }

        guard.Reports.PendingCount.Should().Be(0, $"pending reports should drain within {maxFlushes} flushes");
    }
}
