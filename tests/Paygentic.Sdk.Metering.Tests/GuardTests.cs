using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Metering.Tests.Infrastructure;
using Paygentic.Sdk.Usage;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>The guard's rules against a scripted client and a fake clock (no network, no sleeps).</summary>
public sealed class GuardTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 4, 18, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryUsageOutbox _outbox = new();
    private readonly FakePaygentic _fake;
    private readonly TestMeterFactory _meters = new();

    public GuardTests() => _fake = new FakePaygentic(_time);

    public void Dispose() => _meters.Dispose();

    private MeteringGuard NewGuard(Action<MeteringOptions>? configure = null, IUsageOutbox? outbox = null)
    {
        // No linger: these tests move the fake clock for backoff only (the linger has tests of its own below).
        var options = new MeteringOptions { ReservationPoolSize = 1, RetryBaseDelay = TimeSpan.FromSeconds(1), BatchInterval = TimeSpan.Zero };
        configure?.Invoke(options);
        return new MeteringGuard(_fake, outbox ?? _outbox, options, _time, meterFactory: _meters);
    }

    private static MeteredOperation Op(string id = "op-1", string customer = "cus_1") => new()
    {
        CustomerId = customer,
        OperationId = id,
        EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 100 },
    };

    [Fact]
    public async Task Legacy_run_reserves_then_reports_the_estimate_overlaid_with_recorded_quantities_under_the_operation_key()
    {
        await using var guard = NewGuard();
        var result = await guard.RunAsync(Op(), (scope, _) =>
        {
            scope.SetQuantity("bm_exectime", 250);
            scope.SetMetadata("language", "python");
            return Task.FromResult(42);
        }).WaitAsync(Bound);

        result.Value.Should().Be(42);
        result.ReportState.Should().Be(ReportState.Delivered);
        result.AuthorizationId.Should().Be("com_1");
        result.Quantities.Should().BeEquivalentTo(new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 250 });
        var reservation = _fake.Reservations.Single();
        reservation.MaxUses.Should().Be(1);
        reservation.Items.Should().Contain(i => i.BillableMetricId == "bm_exectime" && i.Quantity == 100);
        var sent = _fake.UsageSent.Single();
        sent.IdempotencyKey.Should().Be("op-1:usage");
        sent.EntitlementId.Should().Be("com_1");
        sent.Metadata.Should().ContainKey("language");
        (await _outbox.UndeliveredCountAsync()).Should().Be(0, "a delivered report leaves only its tombstone");
        (await _outbox.GetAsync("op-1", default))!.State.Should().Be(OutboxEntryState.Delivered);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS", "INSUFFICIENT_FUNDS")]
    [InlineData(HttpStatusCode.BadRequest, "NO_ACTIVE_SUBSCRIPTION", "NO_ACTIVE_SUBSCRIPTION")]
    [InlineData(HttpStatusCode.BadRequest, "CUSTOMER_NOT_FOUND", "CUSTOMER_NOT_FOUND")]
    [InlineData(HttpStatusCode.NotFound, null, "CUSTOMER_NOT_FOUND")]
    public async Task A_denied_reservation_throws_payment_required_and_the_work_never_runs(HttpStatusCode status, string? code, string reason)
    {
        _fake.OnReserve = _ => throw FakePaygentic.ApiError(status, code);
        await using var guard = NewGuard();
        var ran = false;
        var act = () => guard.RunAsync(Op("op-denied"), (_, _) => { ran = true; return Task.FromResult(1); });
        var thrown = await act.Should().ThrowAsync<PaygenticPaymentRequiredException>();
        thrown.Which.ReasonCode.Should().Be(reason);
        thrown.Which.CustomerId.Should().Be("cus_1");
        thrown.Which.OperationId.Should().Be("op-denied");
        thrown.Which.ApiException.Should().NotBeNull();
        ran.Should().BeFalse();
        _fake.UsageSent.Should().BeEmpty();
        (await _outbox.UndeliveredCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_validation_error_on_the_reservation_is_not_a_denial()
    {
        _fake.OnReserve = _ => throw FakePaygentic.ApiError(HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await using var guard = NewGuard();
        await guard.Invoking(g => g.RunAsync(Op(), (_, _) => Task.FromResult(1))).Should().ThrowAsync<PaygenticBadRequestException>();
    }

    [Fact]
    public async Task Work_that_throws_is_not_charged_by_default_and_the_exception_propagates_unchanged()
    {
        await using var guard = NewGuard();
        var boom = new InvalidOperationException("compiler crashed");
        var act = () => guard.RunAsync<int>(Op(), (scope, _) => { scope.SetQuantity("bm_exectime", 77); throw boom; });
        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(boom);
        await guard.Reports.FlushAsync().WaitAsync(Bound);
        _fake.UsageSent.Should().BeEmpty();
        (await _outbox.UndeliveredCountAsync()).Should().Be(0, "the authorization was cancelled");
    }

    [Fact]
    public async Task ChargeRecordedUsage_charges_only_what_the_failed_work_recorded()
    {
        await using var guard = NewGuard(o => o.FailurePolicy = FailurePolicy.ChargeRecordedUsage);
        var act = () => guard.RunAsync<int>(Op("op-partial"), (scope, _) => { scope.SetQuantity("bm_exectime", 77); throw new TimeoutException(); });
        await act.Should().ThrowAsync<TimeoutException>();
        await guard.Reports.FlushAsync().WaitAsync(Bound);
        var sent = _fake.UsageSent.Single();
        sent.Properties.Should().ContainSingle(p => p.BillableMetricId == "bm_exectime" && p.Quantity == 77);
        sent.Metadata.Should().Contain("paygentic.work", "failed");

        // Nothing recorded → nothing charged, even under this policy.
        await guard.Invoking(g => g.RunAsync<int>(Op("op-partial-2"), (_, _) => throw new TimeoutException())).Should().ThrowAsync<TimeoutException>();
        await guard.Reports.FlushAsync().WaitAsync(Bound);
        _fake.UsageSent.Should().HaveCount(1);
    }

    [Fact]
    public async Task Cancellation_before_the_work_charges_nothing_and_the_work_does_not_run()
    {
        await using var guard = NewGuard();
        using var cts = new CancellationTokenSource();
        _fake.OnReserve = r =>
        {
            cts.Cancel(); // the caller gives up while the reservation is being made
            return Task.FromResult(new Reservation { Id = "com_c", MaxUses = 1 });
        };
        var ran = false;
        await guard.Invoking(g => g.RunAsync(Op(), (_, _) => { ran = true; return Task.FromResult(1); }, cts.Token)).Should().ThrowAsync<OperationCanceledException>();
        ran.Should().BeFalse();
        (await _outbox.UndeliveredCountAsync()).Should().Be(0);
        _fake.UsageSent.Should().BeEmpty();
    }

    [Fact]
    public async Task Two_phase_tickets_serialize_and_completing_twice_reports_under_one_key()
    {
        await using var guard = NewGuard();
        var ticket = await guard.AuthorizeAsync(Op() with { OperationId = null });
        ticket.OperationId.Should().NotBeNullOrWhiteSpace("an operation id is generated once");
        (await _outbox.GetAsync(ticket.OperationId, default))!.State.Should().Be(OutboxEntryState.Authorized);

        var revived = MeteringTicket.FromJson(ticket.ToJson());
        revived.Should().BeEquivalentTo(ticket);
        var first = await guard.CompleteAsync(revived, new Dictionary<string, long> { ["bm_exectime"] = 5 });
        var second = await guard.CompleteAsync(revived, new Dictionary<string, long> { ["bm_exectime"] = 5 });
        first.IdempotencyKey.Should().Be(ticket.OperationId + ":usage").And.Be(second.IdempotencyKey);
        _fake.UsageSent.Select(u => u.IdempotencyKey).Distinct().Should().ContainSingle();

        // Cancelling a completed operation never drops its report.
        var pending = await guard.AuthorizeAsync(Op("op-late"));
        _fake.OnUsage = _ => throw FakePaygentic.ApiError(HttpStatusCode.ServiceUnavailable);
        (await guard.CompleteAsync(pending)).State.Should().Be(ReportState.Queued);
        await guard.CancelAsync(pending);
        (await _outbox.GetAsync("op-late", default))!.State.Should().Be(OutboxEntryState.Pending);
    }

    [Fact]
    public async Task A_transient_failure_queues_the_report_and_backoff_redelivers_it_with_the_same_key()
    {
        var calls = FailFirstUsageSends(2);
        await using var guard = NewGuard();
        using var driver = new ReporterDriver(guard, _time);
        var result = await guard.RunAsync(Op(), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        result.ReportState.Should().Be(ReportState.Queued, "a report failure never fails the caller's work");
        (await _outbox.GetAsync("op-1", default))!.Attempts.Should().Be(1);

        // The scheduler retries once the backoff (1 s, then 2 s, each plus at most 20 % jitter) has elapsed on the fake
        // clock: past the first, the second send fails and is recorded; past the second, the third delivers.
        await driver.AdvanceAsync(TimeSpan.FromSeconds(2));
        await driver.UntilAsync(() => Volatile.Read(ref calls.Value) == 2 && _outbox.GetAsync("op-1", default).Result?.Attempts == 2);
        guard.Reports.PendingCount.Should().Be(1);
        await driver.AdvanceAsync(TimeSpan.FromSeconds(3));
        await driver.UntilAsync(() => guard.Reports.PendingCount == 0);

        calls.Value.Should().Be(3);
        _fake.UsageSent.Select(u => u.IdempotencyKey).Should().AllBe("op-1:usage");
        (await _outbox.UndeliveredCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task An_operation_id_still_in_the_outbox_cannot_be_authorized_again_so_nothing_is_overwritten()
    {
        _fake.OnUsage = _ => throw FakePaygentic.ApiError(HttpStatusCode.BadRequest, "BILLABLE_METRIC_NOT_FOUND");
        await using var guard = NewGuard();
        var open = await guard.AuthorizeAsync(Op("op-open")).WaitAsync(Bound);
        (await guard.RunAsync(Op("op-dead"), (_, _) => Task.FromResult(0)).WaitAsync(Bound)).ReportState.Should().Be(ReportState.DeadLettered);

        var reuseOpen = () => guard.AuthorizeAsync(Op("op-open"));
        var reuseDead = () => guard.AuthorizeAsync(Op("op-dead"));

        (await reuseOpen.Should().ThrowAsync<PaygenticOperationAlreadyMeteredException>()).Which.EarlierState.Should().Be(OutboxEntryState.Authorized);
        var dead = (await reuseDead.Should().ThrowAsync<PaygenticOperationAlreadyMeteredException>()).Which;
        dead.EarlierState.Should().Be(OutboxEntryState.DeadLettered);
        dead.EarlierReceipt!.State.Should().Be(ReportState.DeadLettered);
        (await guard.Reports.GetDeadLettersAsync()).Select(d => d.OperationId).Should().Equal("op-dead");
        (await _outbox.GetAsync("op-open", CancellationToken.None))!.Ticket!.AuthorizationId.Should().Be(open.AuthorizationId);
        _fake.Reservations.Should().HaveCount(2, "a refused re-authorization reserves nothing");
    }

    [Fact]
    public async Task A_report_keeps_the_quantities_it_was_completed_with_when_the_caller_reuses_its_dictionaries()
    {
        var calls = FailFirstUsageSends(2);
        await using var guard = NewGuard();
        using var driver = new ReporterDriver(guard, _time);
        var estimate = new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 100 };
        var metadata = new Dictionary<string, string> { ["language"] = "python" };

        var result = await guard.RunAsync(Op() with { EstimatedQuantities = estimate, Metadata = metadata }, (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        result.ReportState.Should().Be(ReportState.Queued);

        // The caller fills the same dictionaries for its next operation while the report waits for its retries.
        estimate["bm_exectime"] = 999;
        metadata["language"] = "rust";
        await driver.AdvanceAsync(TimeSpan.FromSeconds(2)); // past the first backoff: the second send fails too

        // The second failure wrote the entry again (before it was settled): its ticket still holds what the operation was
        // authorized with.
        await driver.UntilAsync(() => Volatile.Read(ref calls.Value) == 2 && _outbox.GetAsync("op-1", default).Result?.Attempts == 2);
        var stored = (await _outbox.GetAsync("op-1", default))!;
        stored.Ticket.Estimate["bm_exectime"].Should().Be(100);
        stored.Ticket.Metadata!["language"].Should().Be("python");
        await driver.AdvanceAsync(TimeSpan.FromSeconds(3)); // past the second backoff: delivered
        await driver.UntilAsync(() => guard.Reports.PendingCount == 0);

        _fake.UsageSent.Should().HaveCount(3, "two failures, then the delivery");
        var sent = _fake.UsageSent.Last();
        sent.Properties.Single(p => p.BillableMetricId == "bm_exectime").Quantity.Should().Be(100);
        sent.Metadata!["language"].Should().Be("python");
        result.Quantities["bm_exectime"].Should().Be(100);
    }

    [Fact]
    public async Task Background_reports_linger_for_the_batch_interval_and_share_one_batch_call()
    {
        await using var guard = NewGuard(o => { o.WaitForDelivery = false; o.ReservationPoolSize = 10; o.BatchInterval = TimeSpan.FromSeconds(1); });
        using var driver = new ReporterDriver(guard, _time);
        for (var i = 0; i < 5; i++)
        {
            (await guard.RunAsync(Op($"op-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound)).ReportState.Should().Be(ReportState.Queued);
        }

        // The sender holds all five and waits (its linger timer armed) for more: nothing went out on its own.
        await driver.UntilAsync(() => driver.LingeringBatch == 5);
        _fake.BatchSizes.Should().BeEmpty("the first report waits the interval for others");
        _fake.UsageSent.Should().BeEmpty();

        // A moment before the interval ends the batch still lingers: a sixth report joins it.
        _time.Advance(TimeSpan.FromMilliseconds(999));
        (await guard.RunAsync(Op("op-5"), (_, _) => Task.FromResult(0)).WaitAsync(Bound)).ReportState.Should().Be(ReportState.Queued);
        await driver.UntilAsync(() => driver.LingeringBatch == 6);
        _fake.BatchSizes.Should().BeEmpty();

        // The interval ends: one batch call carries all six.
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await driver.UntilAsync(() => guard.Reports.PendingCount == 0);
        _fake.BatchSizes.Should().Equal(6);
    }

    [Fact]
    public async Task A_flush_sends_a_lingering_batch_at_once()
    {
        await using var guard = NewGuard(o => { o.WaitForDelivery = false; o.ReservationPoolSize = 10; o.BatchInterval = TimeSpan.FromHours(1); });
        using var driver = new ReporterDriver(guard, _time);
        for (var i = 0; i < 3; i++)
        {
            await guard.RunAsync(Op($"op-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        }

        await driver.UntilAsync(() => driver.LingeringBatch == 3); // all three linger in the sender
        _fake.BatchSizes.Should().BeEmpty();
        var flushed = await guard.Reports.FlushAsync().WaitAsync(Bound);

        flushed.Delivered.Should().Be(3, "the flush cut the hour-long linger short; the clock never moved");
        _time.GetUtcNow().Should().Be(Start);
        _fake.BatchSizes.Should().Equal(3);
        _fake.UsageSent.Select(u => u.IdempotencyKey).Should().OnlyHaveUniqueItems().And.HaveCount(3, "each report sent once, in the one batch");
    }

    [Fact]
    public async Task A_report_a_caller_waits_for_ends_a_lingering_batch_at_once()
    {
        await using var guard = NewGuard(o => { o.WaitForDelivery = false; o.ReservationPoolSize = 10; o.BatchInterval = TimeSpan.FromHours(1); });
        using var driver = new ReporterDriver(guard, _time);
        for (var i = 0; i < 3; i++)
        {
            await guard.RunAsync(Op($"op-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        }

        await driver.UntilAsync(() => driver.LingeringBatch == 3);

        // A fourth report whose caller waits for it: the hour-long linger ends, and all four go in one batch call.
        var waited = PendingEntry("op-waited", Start);
        await _outbox.UpsertAsync([waited], default);
        var state = await driver.Reporter.Enqueue(waited, wait: true)!.WaitAsync(Bound);

        state.Should().Be(ReportState.Delivered);
        _time.GetUtcNow().Should().Be(Start, "the clock never moved");
        _fake.BatchSizes.Should().Equal(4);
    }

    [Fact]
    public async Task A_reused_operation_id_is_refused_with_pooling_too_and_its_pooled_use_goes_back()
    {
        await using var guard = NewGuard(o => { o.ReservationPoolSize = 3; o.ReservationRefillAhead = false; });
        var open = await guard.AuthorizeAsync(Op("op-a")).WaitAsync(Bound);

        for (var i = 0; i < 5; i++)
        {
            var again = () => guard.AuthorizeAsync(Op("op-a"));
            var refused = (await again.Should().ThrowAsync<PaygenticOperationAlreadyMeteredException>()).Which;
            refused.OperationId.Should().Be("op-a");
            refused.EarlierState.Should().Be(OutboxEntryState.Authorized);
            refused.EarlierReceipt.Should().BeNull("the earlier operation is still open");
        }

        (await _outbox.GetAsync("op-a", default))!.Ticket.Should().BeEquivalentTo(open, "nothing was overwritten");
        await guard.AuthorizeAsync(Op("op-b")).WaitAsync(Bound);
        await guard.AuthorizeAsync(Op("op-c")).WaitAsync(Bound);
        _fake.Reservations.Should().HaveCount(1, "the five refused attempts gave their pooled uses back: op-b and op-c used the last two");
        await guard.AuthorizeAsync(Op("op-d")).WaitAsync(Bound);
        _fake.Reservations.Should().HaveCount(2);
    }

    [Fact]
    public async Task Concurrent_authorizations_of_one_operation_id_let_exactly_one_through()
    {
        await using var guard = NewGuard(o => o.ReservationPoolSize = 20);
        await guard.StartAsync(default);
        using var go = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            go.Wait();
            return await guard.AuthorizeAsync(Op("op-same"));
        })).ToArray();
        go.Set();
        await Task.WhenAll(attempts).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Bound);

        var winners = attempts.Where(a => a.IsCompletedSuccessfully).Select(a => a.Result).ToList();
        winners.Should().ContainSingle();
        attempts.Where(a => a.IsFaulted).Should().HaveCount(7).And.OnlyContain(a => a.Exception!.InnerException is PaygenticOperationAlreadyMeteredException);
        (await _outbox.GetAsync("op-same", default))!.Ticket.AuthorizationId.Should().Be(winners[0].AuthorizationId);
    }

    [Fact]
    public async Task A_permanent_rejection_is_dead_lettered_visibly_and_can_be_requeued_or_discarded()
    {
        _fake.OnUsage = _ => throw FakePaygentic.ApiError(HttpStatusCode.BadRequest, "BILLABLE_METRIC_NOT_FOUND");
        await using var guard = NewGuard();
        var raised = new List<OutboxEntry>();
        guard.Reports.DeadLettered += (_, e) => raised.Add(e.Entry);
        using var deadLettered = _meters.Counter("paygentic.metering.dead_lettered");

        var a = await guard.RunAsync(Op("op-a"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        var b = await guard.RunAsync(Op("op-b"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        a.ReportState.Should().Be(ReportState.DeadLettered);
        b.ReportState.Should().Be(ReportState.DeadLettered);
        raised.Select(e => e.OperationId).Should().BeEquivalentTo(["op-a", "op-b"]);
        raised[0].DeadLetterReason.Should().Be(DeadLetterReason.Rejected);
        raised[0].LastError.Should().Contain("BILLABLE_METRIC_NOT_FOUND");
        deadLettered.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(2);
        (await guard.Reports.GetDeadLettersAsync()).Select(d => d.OperationId).Should().BeEquivalentTo(["op-a", "op-b"]);

        _fake.OnUsage = _ => Task.FromResult(new UsageEvent { Id = "usg_ok" });
        (await guard.Reports.RequeueAsync("op-a")).Should().BeTrue();

        // The requeued report may already be on its way (no linger here): the flush waits for it or finds it delivered.
        await guard.Reports.FlushAsync().WaitAsync(Bound);
        (await _outbox.GetAsync("op-a", default))!.State.Should().Be(OutboxEntryState.Delivered);
        (await guard.Reports.DiscardAsync("op-b")).Should().BeTrue();
        (await guard.Reports.DiscardAsync("op-b")).Should().BeFalse();
        (await guard.Reports.GetDeadLettersAsync()).Should().BeEmpty();
        (await _outbox.UndeliveredCountAsync()).Should().Be(0);
        _fake.UsageSent.Where(u => u.IdempotencyKey == "op-a:usage").Should().HaveCount(2, "the requeued report is sent again with the same key");
    }

    [Fact]
    public async Task Unpaid_usage_is_dead_lettered_as_unpaid()
    {
        _fake.OnUsage = _ => throw FakePaygentic.ApiError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS");
        await using var guard = NewGuard();
        var result = await guard.RunAsync(Op(), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        result.ReportState.Should().Be(ReportState.DeadLettered);
        (await guard.Reports.GetDeadLettersAsync()).Single().DeadLetterReason.Should().Be(DeadLetterReason.Unpaid);
    }

    [Fact]
    public async Task A_207_batch_is_settled_item_by_item()
    {
        // Five completed reports are waiting in the outbox when the guard starts: they go out as one batch.
        for (var i = 0; i < 5; i++)
        {
            await _outbox.UpsertAsync([PendingEntry($"op-{i}", Start)], default);
        }

        var errors = new Dictionary<string, string>
        {
            ["op-1:usage"] = "Internal error, try again",
            ["op-2:usage"] = "Billable metric 'bm_x' not found",
            ["op-3:usage"] = "The reservation and the available balance together do not cover this usage",
            ["op-4:usage"] = "duplicate idempotency key",
        };
        _fake.OnBatch = reports => Task.FromResult(new UsageBatchResult
        {
            Successful = [new UsageEvent { Id = "usg_0" }],
            Failed = reports.Select((r, i) => (r, i)).Where(x => errors.ContainsKey(x.r.IdempotencyKey!))
                .Select(x => new UsageBatchFailure(x.i, x.r.IdempotencyKey, errors[x.r.IdempotencyKey!])).ToList(),
            Total = reports.Count,
            IsPartial = true,
        });
        await using var guard = NewGuard();
        using var driver = new ReporterDriver(guard, _time);
        await guard.StartAsync(default);
        await driver.UntilAsync(() => !_fake.BatchSizes.IsEmpty && guard.Reports.PendingCount <= 1);

        _fake.BatchSizes.Should().Equal(5);
        guard.Reports.PendingCount.Should().Be(1, "only the transient item stays pending");
        (await _outbox.GetAsync("op-1", default))!.State.Should().Be(OutboxEntryState.Pending);
        var dead = await guard.Reports.GetDeadLettersAsync();
        dead.Should().HaveCount(2);
        dead.Single(d => d.OperationId == "op-2").DeadLetterReason.Should().Be(DeadLetterReason.Rejected);
        dead.Single(d => d.OperationId == "op-3").DeadLetterReason.Should().Be(DeadLetterReason.Unpaid);
        (await _outbox.GetAsync("op-0", default))!.State.Should().Be(OutboxEntryState.Delivered);
        (await _outbox.GetAsync("op-4", default))!.State.Should().Be(OutboxEntryState.Delivered, "a duplicate counts as delivered");
    }

    [Fact]
    public async Task A_backlog_larger_than_the_queue_drains_without_waiting_for_the_scheduler_tick()
    {
        // 1,000 completed reports wait in the outbox; the queue holds 10. The fake clock never moves, so the backlog
        // drains only if freeing queue space refills it at once (not on the scheduler's periodic tick).
        const int backlog = 1000;
        for (var i = 0; i < backlog; i++)
        {
            await _outbox.UpsertAsync([PendingEntry($"op-{i}", Start)], default);
        }

        await using var guard = NewGuard(o => o.QueueCapacity = 10);
        await guard.StartAsync(default);
        var flushed = await StopOnFailure(guard, () => guard.Reports.FlushAsync().WaitAsync(Bound));

        // (Delivered counts only what was still pending when the flush began: the reporter starts sending at start.)
        flushed.DeadLettered.Should().Be(0);
        flushed.StillPending.Should().Be(0);
        guard.Reports.PendingCount.Should().Be(0);
        _time.GetUtcNow().Should().Be(Start, "no tick was needed");
        _fake.UsageSent.Select(u => u.IdempotencyKey).Order(StringComparer.Ordinal).Should()
            .Equal(Enumerable.Range(0, backlog).Select(i => $"op-{i}:usage").Order(StringComparer.Ordinal), "each report is sent exactly once");
        (await _outbox.UndeliveredCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Refilling_the_queue_sends_only_due_reports_and_leaves_those_in_backoff_until_they_are_due()
    {
        const int backlog = 500;
        for (var i = 0; i < backlog; i++)
        {
            await _outbox.UpsertAsync([PendingEntry($"op-{i}", Start)], default);
        }

        // Every tenth report fails transiently on its first send (in a batch, or alone when a batch holds one report).
        var failing = Enumerable.Range(0, backlog).Where(i => i % 10 == 0).Select(i => $"op-{i}:usage").ToHashSet();
        var attempts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        bool FailsNow(string key) => attempts.AddOrUpdate(key, 1, (_, n) => n + 1) == 1 && failing.Contains(key);
        _fake.OnUsage = report => FailsNow(report.IdempotencyKey!)
            ? throw new PaygenticTransportException("connection reset")
            : Task.FromResult(new UsageEvent { Id = "usg_x" });
        _fake.OnBatch = reports =>
        {
            var failed = new List<UsageBatchFailure>();
            for (var i = 0; i < reports.Count; i++)
            {
                var key = reports[i].IdempotencyKey!;
                if (FailsNow(key))
                {
                    failed.Add(new UsageBatchFailure(i, key, "Internal error, try again"));
                }
            }

            return Task.FromResult(new UsageBatchResult
            {
                Successful = reports.Select(_ => new UsageEvent { Id = "usg_x" }).Take(reports.Count - failed.Count).ToList(),
                Failed = failed,
                Total = reports.Count,
                IsPartial = failed.Count > 0,
            });
        };

        // A first backoff of 2–2.4 s against a scan for due retries every second: the scan at 1 s finds them not due.
        await using var guard = NewGuard(o => { o.QueueCapacity = 10; o.RetryBaseDelay = TimeSpan.FromSeconds(2); });
        using var driver = new ReporterDriver(guard, _time);
        await guard.StartAsync(default);
        await StopOnFailure(guard, async () =>
        {
            await driver.UntilAsync(() => guard.Reports.PendingCount == failing.Count);
            return 0;
        });
        _time.GetUtcNow().Should().Be(Start, "the refills needed no tick");

        // The refills went on while the backoff runs; now a scan runs (awaited) with every failed report not yet due. It
        // hands none to a sender: each stays idle (a report handed over would be queued, in flight, or already resent).
        await StopOnFailure(guard, async () =>
        {
            await driver.AdvanceAsync(TimeSpan.FromSeconds(1));
            return 0;
        });
        driver.Reporter.PendingItems.Should().HaveCount(failing.Count).And.OnlyContain(i => i.IsIdle && i.DueAt > _time.GetUtcNow());
        attempts.Should().HaveCount(backlog).And.OnlyContain(a => a.Value == 1, "nothing is resent before its backoff elapsed");

        // Past every backoff, the next scan resends them.
        await driver.AdvanceAsync(TimeSpan.FromSeconds(1.5));
        await driver.UntilAsync(() => guard.Reports.PendingCount == 0);
        attempts.Where(a => a.Value != 1).Select(a => a.Key).Should().BeEquivalentTo(failing, "only the failed reports were resent");
        attempts.Where(a => failing.Contains(a.Key)).Should().OnlyContain(a => a.Value == 2);
        (await _outbox.UndeliveredCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task A_report_older_than_the_replay_window_is_dead_lettered_not_sent()
    {
        await _outbox.UpsertAsync([PendingEntry("op-old", Start - TimeSpan.FromHours(25))], default);
        await using var guard = NewGuard();
        using var driver = new ReporterDriver(guard, _time);
        await guard.StartAsync(default);
        await driver.UntilAsync(() => guard.Reports.PendingCount == 0);
        _fake.UsageSent.Should().BeEmpty();
        (await guard.Reports.GetDeadLettersAsync()).Single().DeadLetterReason.Should().Be(DeadLetterReason.ReplayWindowExpired);
    }

    [Theory]
    [InlineData("ReportEstimate", 1)]
    [InlineData("Skip", 0)]
    public async Task Operations_a_dead_process_left_unfinished_meet_the_configured_recovery(string recovery, int reports)
    {
        await using (var first = NewGuard())
        {
            await first.AuthorizeAsync(Op("op-orphan"));
        }

        // A new process (new guard) over the same outbox.
        // As configuration sets it (the default is ReportEstimate).
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["M:Recovery"] = recovery }).Build();
        await using var second = NewGuard(o => DependencyInjection.MeteringConfigurationBinder.Bind(config.GetSection("M"), o));
        using var driver = new ReporterDriver(second, _time);
        await second.StartAsync(default);
        await driver.UntilAsync(() => second.Reports.PendingCount == 0);
        await second.Reports.FlushAsync().WaitAsync(Bound);
        _fake.UsageSent.Should().HaveCount(reports);
        if (reports == 1)
        {
            var sent = _fake.UsageSent.Single();
            sent.IdempotencyKey.Should().Be("op-orphan:usage");
            sent.Properties.Should().ContainSingle(p => p.BillableMetricId == "bm_exectime" && p.Quantity == 100);
            sent.Metadata.Should().Contain("paygentic.recovered", "true");
        }

        (await _outbox.UndeliveredCountAsync()).Should().Be(0);
    }

    [Fact]
    public async Task The_recovery_callback_decides_per_operation()
    {
        await using (var first = NewGuard())
        {
            await first.AuthorizeAsync(Op("op-report"));
            await first.AuthorizeAsync(Op("op-keep"));
        }

        var seen = new List<string>();
        await using var second = NewGuard(o =>
        {
            o.Recovery = (ticket, _) =>
            {
                seen.Add(ticket.OperationId);
                return ValueTask.FromResult(ticket.OperationId == "op-keep" ? RecoveryDecision.Keep : RecoveryDecision.Report(new Dictionary<string, long> { ["bm_exectime"] = 9 }));
            };
        });
        await second.StartAsync(default);
        await second.Reports.FlushAsync().WaitAsync(Bound);
        seen.Should().BeEquivalentTo(["op-report", "op-keep"]);
        _fake.UsageSent.Single().Properties.Should().Contain(p => p.BillableMetricId == "bm_exectime" && p.Quantity == 9);
        (await _outbox.GetAsync("op-keep", default))!.State.Should().Be(OutboxEntryState.Authorized);
    }

    [Theory]
    [InlineData(10, 25, 3)]
    [InlineData(1, 7, 7)]
    public async Task A_reservation_pool_serves_maxUses_operations_per_reservation(int poolSize, int operations, int reservations)
    {
        // Refilled when the pool runs dry (made ahead, see A_pool_is_refilled_ahead_so_no_operation_waits_for_the_round_trip).
        await using var guard = NewGuard(o => { o.ReservationPoolSize = poolSize; o.ReservationRefillAhead = false; });
        for (var i = 0; i < operations; i++)
        {
            await guard.RunAsync(Op($"op-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        }

        _fake.Reservations.Should().HaveCount(reservations);
        _fake.Reservations.Should().AllSatisfy(r =>
        {
            r.MaxUses.Should().Be(poolSize);
            r.Items.Single(i => i.BillableMetricId == "bm_exectime").Quantity.Should().Be(100 * poolSize, "the hold covers every use's estimate");
        });
        _fake.UsageSent.GroupBy(u => u.EntitlementId).Should().AllSatisfy(g => g.Count().Should().BeLessThanOrEqualTo(poolSize));
    }

    [Fact]
    public async Task A_cancelled_pooled_use_is_given_back_and_a_pool_refreshes_before_expiry()
    {
        _fake.OnReserve = r => Task.FromResult(new Reservation { Id = "com_" + _fake.Reservations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), MaxUses = r.MaxUses, ExpiresAt = _time.GetUtcNow().AddMinutes(10) });
        await using var guard = NewGuard(o => { o.ReservationPoolSize = 2; o.ReservationRefillAhead = false; o.ReservationRefreshMargin = TimeSpan.FromMinutes(1); });
        var ticket = await guard.AuthorizeAsync(Op("op-1"));
        await guard.CancelAsync(ticket);
        await guard.RunAsync(Op("op-2"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        await guard.RunAsync(Op("op-3"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        _fake.Reservations.Should().HaveCount(1, "the cancelled use went back to the pool");

        await guard.RunAsync(Op("op-4"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        _fake.Reservations.Should().HaveCount(2);
        _time.Advance(TimeSpan.FromMinutes(9.5)); // within the refresh margin of expiry
        await guard.RunAsync(Op("op-5"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        _fake.Reservations.Should().HaveCount(3);
    }

    [Fact]
    public async Task Cancelling_a_completed_or_already_cancelled_operation_does_not_give_a_pooled_use_back_twice()
    {
        await using var guard = NewGuard(o => { o.ReservationPoolSize = 2; o.ReservationRefillAhead = false; });

        // A clean-up path that always cancels: the use of a completed (and delivered) operation is spent, not free.
        var a = await guard.AuthorizeAsync(Op("op-a"));
        (await guard.CompleteAsync(a).WaitAsync(Bound)).State.Should().Be(ReportState.Delivered);
        await guard.CancelAsync(a);

        var b = await guard.AuthorizeAsync(Op("op-b"));
        var c = await guard.AuthorizeAsync(Op("op-c"));

        // Cancelling twice gives the use back once.
        await guard.CancelAsync(c);
        await guard.CancelAsync(c);

        await guard.RunAsync(Op("op-d"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        await guard.RunAsync(Op("op-e"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        await guard.CompleteAsync(b).WaitAsync(Bound);

        _fake.UsageSent.Should().HaveCount(4);
        _fake.UsageSent.GroupBy(u => u.EntitlementId).Should().AllSatisfy(g => g.Count().Should().BeLessThanOrEqualTo(2, "a reservation with maxUses 2 serves two reports at most"));
        _fake.Reservations.Should().HaveCount(2);
    }

    [Fact]
    public async Task Recovery_that_reports_nothing_for_an_unfinished_operation_ends_it_without_hanging_start_up()
    {
        using var dir = new TempDir();
        var path = dir.File("usage.db");
        await using (var outbox = new Outbox.Sqlite.SqliteUsageOutbox(path))
        {
            await using var first = NewGuard(outbox: outbox);
            await first.AuthorizeAsync(Op("op-unused"));
        }

        await using var reopened = new Outbox.Sqlite.SqliteUsageOutbox(path);
        await using var second = NewGuard(
            o =>
            {
                o.Recovery = (_, _) => ValueTask.FromResult(RecoveryDecision.Report(new Dictionary<string, long> { ["bm_basicsub"] = 0, ["bm_exectime"] = 0 }));
            },
            reopened);
        await second.StartAsync(default).WaitAsync(TimeSpan.FromSeconds(5));
        (await reopened.GetAsync("op-unused", default)).Should().BeNull("a report of nothing ends the operation without a charge");
        _fake.UsageSent.Should().BeEmpty();
    }

    [Fact]
    public async Task A_pool_is_refilled_ahead_so_no_operation_waits_for_the_round_trip()
    {
        // The second reservation's answer is held back until the test lets it go.
        var secondAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<Reservation>(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.OnReserve = r =>
        {
            if (_fake.Reservations.Count == 1)
            {
                return Task.FromResult(new Reservation { Id = "com_0", MaxUses = r.MaxUses });
            }

            secondAsked.TrySetResult();
            return second.Task;
        };
        using var hits = _meters.Counter("paygentic.metering.pool.hits");
        using var misses = _meters.Counter("paygentic.metering.pool.misses");
        await using var guard = NewGuard(o => o.ReservationPoolSize = 4);

        // Two uses leave the first reservation half spent: the next one is asked for in the background.
        for (var i = 0; i < 2; i++)
        {
            (await guard.RunAsync(Op($"op-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound)).AuthorizationId.Should().Be("com_0");
        }

        await secondAsked.Task.WaitAsync(Bound);

        // Its answer has not come, and the first reservation's last two uses do not wait for it.
        for (var i = 2; i < 4; i++)
        {
            (await guard.RunAsync(Op($"op-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound)).AuthorizationId.Should().Be("com_0");
        }

        // The pool is empty: the fifth operation waits for the reservation being made ahead instead of asking for its own.
        var fifth = guard.RunAsync(Op("op-4"), (_, _) => Task.FromResult(0));
        fifth.IsCompleted.Should().BeFalse();
        second.SetResult(new Reservation { Id = "com_1", MaxUses = 4 });
        (await fifth.WaitAsync(Bound)).AuthorizationId.Should().Be("com_1");
        _fake.Reservations.Should().HaveCount(2, "every reservation served four operations; none was made twice");
        _fake.Reservations.Should().OnlyContain(r => r.MaxUses == 4);
        misses.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1, "only the first operation made a reservation; the second was made ahead");
        hits.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(4);
    }

    [Fact]
    public async Task A_refill_ahead_that_fails_is_left_to_the_operation_that_finds_the_pool_empty()
    {
        _fake.OnReserve = r => _fake.Reservations.Count == 2
            ? Task.FromException<Reservation>(FakePaygentic.ApiError(HttpStatusCode.ServiceUnavailable))
            : Task.FromResult(new Reservation { Id = "com_" + _fake.Reservations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), MaxUses = r.MaxUses });
        await using var guard = NewGuard(o => o.ReservationPoolSize = 4);

        var served = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            served.Add((await guard.RunAsync(Op($"op-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound)).AuthorizationId);
        }

        served.Should().Equal("com_1", "com_1", "com_1", "com_1", "com_3");
        _fake.Reservations.Should().HaveCount(3, "the failed refill was not retried in the background; the fifth operation reserved");
    }

    [Fact]
    public async Task A_pool_whose_hold_is_shorter_than_the_refresh_margin_still_serves_its_uses()
    {
        // The server's holds last 30 s, less than the (default) 1 minute refresh margin: a reservation must not count
        // as "about to expire" from the moment it is made, or every operation holds a whole new pool.
        _fake.OnReserve = r => Task.FromResult(new Reservation { Id = "com_" + _fake.Reservations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), MaxUses = r.MaxUses, ExpiresAt = _time.GetUtcNow().AddSeconds(30) });
        await using var guard = NewGuard(o => { o.ReservationPoolSize = 10; o.ReservationRefillAhead = false; });
        for (var i = 0; i < 5; i++)
        {
            await guard.RunAsync(Op($"op-{i}"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        }

        _fake.Reservations.Should().HaveCount(1, "one reservation with maxUses 10 serves five operations");

        // It is still replaced before it expires.
        _time.Advance(TimeSpan.FromSeconds(20));
        await guard.RunAsync(Op("op-late"), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        _fake.Reservations.Should().HaveCount(2);
    }

    [Fact]
    public async Task When_a_whole_pool_cannot_be_held_one_operation_is_still_authorized_on_its_own()
    {
        _fake.OnReserve = r => r.MaxUses > 1
            ? throw FakePaygentic.ApiError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS")
            : Task.FromResult(new Reservation { Id = "com_single", MaxUses = 1 });
        await using var guard = NewGuard(o => { o.ReservationPoolSize = 10; o.ReservationRefillAhead = false; });
        var result = await guard.RunAsync(Op(), (_, _) => Task.FromResult(0)).WaitAsync(Bound);
        result.AuthorizationId.Should().Be("com_single");
        result.Receipt.Ticket.Pooled.Should().BeFalse();
    }

    [Fact]
    public async Task A_grown_pool_the_wallet_cannot_hold_goes_back_to_the_configured_size_though_operations_waited_for_it()
    {
        // Answers by order: the first three are held until the test gives them (the 2nd, a refill ahead, fails; the 3rd is
        // refused for funds); then a single use is granted, then pools again.
        var held = new Dictionary<int, TaskCompletionSource<Reservation>>
        {
            [1] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            [2] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            [3] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var asked = new Dictionary<int, TaskCompletionSource>
        {
            [1] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            [3] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        _fake.OnReserve = r =>
        {
            var order = _fake.Reservations.Count;
            if (asked.TryGetValue(order, out var signal))
            {
                signal.TrySetResult();
            }

            return held.TryGetValue(order, out var answer)
                ? answer.Task
                : Task.FromResult(new Reservation { Id = $"com_{order}", MaxUses = r.MaxUses });
        };
        await using var guard = NewGuard(o => { o.ReservationPoolSize = 4; o.ReservationPoolMaxSize = 16; });
        Task<MeteredResult<int>> Run(int i) => guard.RunAsync(Op($"op-{i}"), (_, _) => Task.FromResult(0));

        // An operation waits while the first reservation is made for the empty pool: the next size is eight.
        var first = Run(0);
        await asked[1].Task.WaitAsync(Bound);
        var second = Run(1);
        held[1].SetResult(new Reservation { Id = "com_1", MaxUses = 4 });
        await Task.WhenAll(first, second).WaitAsync(Bound);

        // The refill ahead for eight (asked by the third use) fails after the fourth use; the pool is empty and the next
        // operation reserves eight itself, while another waits; the wallet refuses, so that operation gets a single use.
        await Run(2).WaitAsync(Bound);
        await Run(3).WaitAsync(Bound);
        held[2].SetException(FakePaygentic.ApiError(HttpStatusCode.ServiceUnavailable));
        var fifth = Run(4);
        await asked[3].Task.WaitAsync(Bound);
        var sixth = Run(5);
        held[3].SetException(FakePaygentic.ApiError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS"));
        await Task.WhenAll(fifth, sixth).WaitAsync(Bound);

        _fake.Reservations.Select(r => r.MaxUses).Should().Equal(4, 8, 8, 1, 4);
        (await fifth).Receipt.Ticket.Pooled.Should().BeFalse();
    }

    [Fact]
    public async Task A_reservation_whose_answer_is_lost_counts_as_a_possible_orphan_hold()
    {
        using var orphans = _meters.Counter("paygentic.metering.possible_orphan_holds");
        _fake.OnReserve = _ => throw new PaygenticTimeoutException("timed out");
        await using var guard = NewGuard();
        await guard.Invoking(g => g.RunAsync(Op(), (_, _) => Task.FromResult(0))).Should().ThrowAsync<PaygenticTimeoutException>();
        orphans.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1);
    }

    [Fact]
    public async Task Standard_checks_access_with_a_short_cache_and_reports_a_meter_event()
    {
        await using var guard = NewGuard(o =>
        {
            o.Strategy = MeteringStrategy.Standard;
            o.EventType = "code.submission";
            o.FeatureKey = "submissions";
            o.ProductId = "prod_codeexec";
            o.AccessCacheTtl = TimeSpan.FromSeconds(5);
        });
        var op = new MeteredOperation { CustomerId = "cus_s", OperationId = "sub-1" };
        var result = await guard.RunAsync(op, (scope, _) => { scope.SetQuantity("executionMs", 12); return Task.FromResult("ok"); }).WaitAsync(Bound);
        await guard.RunAsync(op with { OperationId = "sub-2" }, (_, _) => Task.FromResult("ok")).WaitAsync(Bound);
        _fake.AccessChecks.Should().Be(1, "the positive answer is cached");
        _time.Advance(TimeSpan.FromSeconds(6));
        await guard.RunAsync(op with { OperationId = "sub-3" }, (_, _) => Task.FromResult("ok")).WaitAsync(Bound);
        _fake.AccessChecks.Should().Be(2);

        result.ReportState.Should().Be(ReportState.Delivered);
        var sent = _fake.EventsSent.First(e => e.IdempotencyKey == "sub-1:event");
        sent.Type.Should().Be("code.submission");
        sent.Subject.Should().Be("cus_s");
        ((long)sent.Data["executionMs"]!).Should().Be(12);
        ((string)sent.Data["operationId"]!).Should().Be("sub-1");

        _fake.OnAccess = _ => Task.FromResult(new Page<EntitlementAccess>([new EntitlementAccess { HasAccess = false }], 10, 0, 1));
        var ran = false;
        var denied = await guard.Invoking(g => g.RunAsync(op with { CustomerId = "cus_other" }, (_, _) => { ran = true; return Task.FromResult(""); }))
            .Should().ThrowAsync<PaygenticPaymentRequiredException>();
        denied.Which.ReasonCode.Should().Be(PaygenticPaymentRequiredException.NoAccess);
        ran.Should().BeFalse();
    }

    [Fact]
    public void Invalid_options_fail_with_messages_naming_the_option()
    {
        var act = () => new MeteringGuard(_fake, _outbox, new MeteringOptions { Strategy = MeteringStrategy.Standard, ReservationPoolSize = 0, MaxBatchSize = 5000 });
        var e = act.Should().Throw<OptionsValidationException>().Which;
        e.Failures.Should().Contain(f => f.Contains("Paygentic:Metering:EventType", StringComparison.Ordinal));
        e.Failures.Should().Contain(f => f.Contains("Paygentic:Metering:ReservationPoolSize", StringComparison.Ordinal));
        e.Failures.Should().Contain(f => f.Contains("Paygentic:Metering:MaxBatchSize", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(20, 10)]
    [InlineData(10, 1001)]
    public void A_pool_maximum_below_the_pool_size_or_above_the_apis_limit_is_refused(int size, int max)
    {
        var act = () => new MeteringGuard(_fake, _outbox, new MeteringOptions { ReservationPoolSize = size, ReservationPoolMaxSize = max });
        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("Paygentic:Metering:ReservationPoolMaxSize").And.Contain($"(was {max})");
    }

    [Fact]
    public void Configuration_binds_every_option_and_names_a_bad_key()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Paygentic:Metering:Strategy"] = "standard",
            ["Paygentic:Metering:EventType"] = "code.submission",
            ["Paygentic:Metering:AccessCacheTtl"] = "00:00:02",
            ["Paygentic:Metering:ReservationPoolSize"] = "50",
            ["Paygentic:Metering:ReservationPoolMaxSize"] = "400",
            ["Paygentic:Metering:CallerStoresTickets"] = "true",
        }).Build();
        var options = new MeteringOptions();
        DependencyInjection.MeteringConfigurationBinder.Bind(config.GetSection("Paygentic:Metering"), options);
        options.Strategy.Should().Be(MeteringStrategy.Standard);
        options.AccessCacheTtl.Should().Be(TimeSpan.FromSeconds(2));
        options.ReservationPoolSize.Should().Be(50);
        options.ReservationPoolMaxSize.Should().Be(400);
        options.CallerStoresTickets.Should().BeTrue();

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["M:FailurePolicy"] = "Sometimes" }).Build();
        var act = () => DependencyInjection.MeteringConfigurationBinder.Bind(bad.GetSection("M"), new MeteringOptions());
        act.Should().Throw<FormatException>().WithMessage("*M:FailurePolicy*");
    }

    internal static OutboxEntry PendingEntry(string operationId, DateTimeOffset createdAt, MeteringStrategy strategy = MeteringStrategy.Legacy)
    {
        var ticket = new MeteringTicket
        {
            OperationId = operationId,
            CustomerId = "cus_1",
            Strategy = strategy,
            AuthorizationId = "com_1",
            Estimate = new Dictionary<string, long> { ["bm_basicsub"] = 1 },
            AuthorizedAt = createdAt,
            IssuerId = "earlier-process",
        };
        return new OutboxEntry
        {
            OperationId = operationId,
            State = OutboxEntryState.Pending,
            Ticket = ticket,
            CreatedAt = createdAt,
            Report = new PendingReport
            {
                Strategy = strategy,
                IdempotencyKey = operationId + (strategy == MeteringStrategy.Legacy ? ":usage" : ":event"),
                CustomerId = "cus_1",
                Timestamp = createdAt,
                Quantities = new Dictionary<string, long> { ["bm_basicsub"] = 1 },
                EntitlementId = "com_1",
                EventType = strategy == MeteringStrategy.Standard ? "code.submission" : null,
            },
        };
    }

    /// <summary>
    /// Runs a wait; if it fails, stops the guard with a bounded token first — its own shutdown bound runs on the fake
    /// clock, which a failed test no longer moves, so disposing it would hang the test run — then rethrows.
    /// </summary>
    private static async Task<T> StopOnFailure<T>(MeteringGuard guard, Func<Task<T>> wait)
    {
        try
        {
            return await wait();
        }
        catch
        {
            using var bound = new CancellationTokenSource(Bound);
            await guard.StopAsync(bound.Token);
            throw;
        }
    }

    /// <summary>Makes the fake's first <paramref name="failures"/> usage sends fail as a reset connection; counts the sends.</summary>
    private System.Runtime.CompilerServices.StrongBox<int> FailFirstUsageSends(int failures)
    {
        var calls = new System.Runtime.CompilerServices.StrongBox<int>();
        _fake.OnUsage = _ => Interlocked.Increment(ref calls.Value) <= failures
            ? throw new PaygenticTransportException("connection reset")
            : Task.FromResult(new UsageEvent { Id = "usg_1" });
        return calls;
    }
}
