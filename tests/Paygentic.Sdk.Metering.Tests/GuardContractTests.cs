using System.Net;
using Microsoft.Extensions.Time.Testing;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Metering.Tests.Infrastructure;
using Paygentic.Sdk.Testing;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>
/// The design points closed with the redesign: completion follows the ticket's strategy, a report the outbox refuses
/// fails the call, shutdown waits for sends on the wire, and "duplicate" is read from status and code, not text.
/// </summary>
public sealed class GuardContractTests
{
    private static readonly DateTimeOffset Start = new(2026, 4, 18, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryUsageOutbox _outbox = new();
    private readonly FakePaygentic _fake;

    private MeteringGuard NewGuard(IUsageOutbox? outbox = null, Action<MeteringOptions>? configure = null)
    {
        var options = new MeteringOptions { ReservationPoolSize = 1, BatchInterval = TimeSpan.Zero };
        configure?.Invoke(options);
        return new MeteringGuard(_fake, outbox ?? _outbox, options, _time);
    }

    public GuardContractTests() => _fake = new FakePaygentic(_time);

    private static MeteredOperation Op(string id) => new()
    {
        CustomerId = "cus_1",
        OperationId = id,
        EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1 },
    };

    [Fact]
    public async Task A_ticket_is_recovered_with_the_strategy_it_was_authorized_with_not_the_one_configured_now()
    {
        var standard = GuardTests.PendingEntry("op-std", Start, MeteringStrategy.Standard) with { State = OutboxEntryState.Authorized, Report = null };
        await _outbox.UpsertAsync([standard], default);

        // Configured Legacy now; the ticket is Standard: its report is a meter event, not a usage report.
        await using var guard = NewGuard(configure: o => o.EventType = "code.submission");
        await guard.StartAsync(default);
        await guard.Reports.FlushAsync().WaitAsync(Bound);

        _fake.EventsSent.Should().ContainSingle().Which.IdempotencyKey.Should().Be("op-std:event");
        _fake.UsageSent.Should().BeEmpty();
    }

    [Fact]
    public async Task A_report_the_outbox_cannot_store_fails_the_call_and_is_not_sent_from_memory()
    {
        var outbox = new ReportWriteGate(_outbox) { Refuse = true };
        await using var guard = NewGuard(outbox);

        var act = () => guard.RunAsync(Op("op-unstored"), (_, _) => Task.FromResult(1));

        await act.Should().ThrowAsync<UsageOutboxException>().WithMessage("*op-unstored*not sent*");
        outbox.RefusedWrites.Should().Be(2, "the write is tried once more before the caller is told");
        _fake.UsageSent.Should().BeEmpty();
        (await _outbox.GetAsync("op-unstored", default))!.State.Should().Be(OutboxEntryState.Authorized, "the ticket stays open for recovery");
    }

    [Fact]
    public async Task Stopping_waits_for_a_send_in_flight_instead_of_cancelling_it()
    {
        var release = new TaskCompletionSource<UsageEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.OnUsage = _ =>
        {
            sending.TrySetResult();
            return release.Task;
        };
        var guard = NewGuard(configure: o => o.WaitForDelivery = false);
        (await guard.RunAsync(Op("op-wire"), (_, _) => Task.FromResult(1)).WaitAsync(Bound)).ReportState.Should().Be(ReportState.Queued);
        await sending.Task.WaitAsync(Bound);

        var stop = guard.StopAsync(CancellationToken.None);
        stop.IsCompleted.Should().BeFalse("the send on the wire is awaited (the fake clock never reaches ShutdownTimeout)");
        release.SetResult(new UsageEvent { Id = "usg_1" });
        await stop.WaitAsync(Bound);
        await guard.DisposeAsync();

        (await _outbox.GetAsync("op-wire", default))!.State.Should().Be(OutboxEntryState.Delivered, "the send finished and was settled");
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, null, "anything", ReportState.Delivered)]
    [InlineData(HttpStatusCode.BadRequest, "DUPLICATE_IDEMPOTENCY_KEY", "rejected", ReportState.Delivered)]
    [InlineData(HttpStatusCode.BadRequest, "BILLABLE_METRIC_NOT_FOUND", "duplicate metric id in request", ReportState.DeadLettered)]
    public async Task A_duplicate_is_recognised_by_status_and_code_never_by_message_text(HttpStatusCode status, string? code, string message, ReportState expected)
    {
        _fake.OnUsage = _ => throw FakePaygentic.ApiError(status, code, message);
        await using var guard = NewGuard();

        var result = await guard.RunAsync(Op("op-dup"), (_, _) => Task.FromResult(1)).WaitAsync(Bound);

        result.ReportState.Should().Be(expected);
    }
}
