using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;
using Paygentic.Sdk.Testing;
using static Paygentic.Sdk.Outbox.PostgreSql.Tests.Guard.FleetHarness;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests.Guard;

/// <summary>
/// The metering guard end to end on the PostgreSQL outbox against the in-process emulator: each test's replicas share
/// one fresh schema. A replica "dies" by stopping its guard and lease keeper with its work left in the outbox, and its
/// lease is ended in the database, never by waiting.
/// </summary>
public sealed class GuardOnPostgreSqlTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    private static readonly EmulatorFaults UsageDown = new() { Error503Rate = 1.0, PathPrefix = "/v0/usage" };

    // A replica that cannot deliver while the usage endpoint is down gives up quickly, leaving its reports pending.
    private static MeteringOptions Impatient(int poolSize = 1) => new()
    {
        ReservationPoolSize = poolSize,
        DeliveryWaitTimeout = TimeSpan.FromMilliseconds(50),
        ShutdownTimeout = TimeSpan.FromMilliseconds(100),
    };

    [PostgresFact]
    public async Task Reports_are_delivered_exactly_once()
    {
        await using var fleet = await StartAsync(db);
        var customer = await fleet.CustomerAsync();
        var replica = await fleet.StartReplicaAsync("solo");

        for (var i = 0; i < 10; i++)
        {
            (await replica.Guard.RunAsync(Op(customer, $"once-{i}"), Work(100)).WaitAsync(Bound)).ReportState.Should().Be(ReportState.Delivered);
        }

        (await fleet.ChargedKeysAsync(customer)).Should().BeEquivalentTo(Enumerable.Range(0, 10).Select(i => $"once-{i}:usage"));
        (await fleet.CountAsync("entries")).Should().Be(0, "every report left the entries table when delivered");
        (await fleet.CountAsync("tombstones")).Should().Be(10);
        (await replica.Outbox.LoadAsync(OutboxEntryState.Delivered, CancellationToken.None)).Should().OnlyContain(e => e.Outcome == ReportState.Delivered);
    }

    [PostgresFact]
    public async Task Two_replicas_on_one_schema_each_send_only_their_own_reports()
    {
        await using var fleet = await StartAsync(db);
        var customer = await fleet.CustomerAsync();
        var a = await fleet.StartReplicaAsync("a", Impatient());
        var b = await fleet.StartReplicaAsync("b", Impatient());
        await fleet.Emulator.SetFaultsAsync(UsageDown);
        for (var i = 0; i < 5; i++)
        {
            await a.Guard.RunAsync(Op(customer, $"a-{i}"), Work(100)).WaitAsync(Bound);
            await b.Guard.RunAsync(Op(customer, $"b-{i}"), Work(100)).WaitAsync(Bound);
        }

        (await a.OwnIdsAsync(OutboxEntryState.Pending)).Should().Equal(Enumerable.Range(0, 5).Select(i => $"a-{i}"));
        (await b.OwnIdsAsync(OutboxEntryState.Pending)).Should().Equal(Enumerable.Range(0, 5).Select(i => $"b-{i}"));

        await fleet.Emulator.ClearFaultsAsync();
        // Each flush waits only for its own replica's reports (a retry may already have sent some of them).
        (await a.Guard.Reports.FlushAsync().WaitAsync(Bound)).StillPending.Should().Be(0);
        (await b.Guard.Reports.FlushAsync().WaitAsync(Bound)).StillPending.Should().Be(0);
        a.Guard.Reports.PendingCount.Should().Be(0);
        (await fleet.CountAsync("entries")).Should().Be(0);
        (await fleet.ChargedKeysAsync(customer)).Should().HaveCount(10).And.OnlyHaveUniqueItems();
    }

    [PostgresFact]
    public async Task A_replica_whose_lease_expired_has_its_open_tickets_and_pending_reports_finished_by_a_survivor()
    {
        await using var fleet = await StartAsync(db);
        var customer = await fleet.CustomerAsync();
        var survivor = await fleet.StartReplicaAsync("survivor");
        var dead = await fleet.StartReplicaAsync("dead", Impatient());
        await fleet.Emulator.SetFaultsAsync(UsageDown);
        await dead.Guard.AuthorizeAsync(Op(customer, "open")).WaitAsync(Bound);
        (await dead.Guard.RunAsync(Op(customer, "done"), Work(100)).WaitAsync(Bound)).ReportState.Should().Be(ReportState.Queued);

        // The replica dies: it sends nothing more and stops renewing; its lease then ends (set in the database).
        await dead.Guard.StopAsync(CancellationToken.None);
        await dead.Outbox.DisposeAsync();
        await fleet.ExpireLeaseAsync("dead");
        await fleet.Emulator.ClearFaultsAsync();

        await EventuallyAsync(async () =>
        {
            await survivor.Outbox.AdoptExpiredAsync(CancellationToken.None);
            return (await fleet.ChargedKeysAsync(customer)).Count == 2;
        }, "the survivor to deliver the dead replica's report and recover its ticket");

        (await fleet.ChargedKeysAsync(customer)).Should().BeEquivalentTo(["open:usage", "done:usage"]);
        await EventuallyAsync(async () => await fleet.CountAsync("entries") == 0, "the deliveries to be recorded");
        (await fleet.CountAsync("instances")).Should().Be(1, "the dead replica was unregistered when adopted");
    }

    [PostgresFact]
    public async Task A_live_replicas_work_is_never_taken()
    {
        await using var fleet = await StartAsync(db);
        var customer = await fleet.CustomerAsync();
        var live = await fleet.StartReplicaAsync("live", Impatient());
        var other = await fleet.StartReplicaAsync("other");
        await fleet.Emulator.SetFaultsAsync(UsageDown);
        await live.Guard.AuthorizeAsync(Op(customer, "live-open")).WaitAsync(Bound);
        await live.Guard.RunAsync(Op(customer, "live-done"), Work(100)).WaitAsync(Bound);

        // Adoption now, and a replica starting now (adoption at start), both leave the live replica's work alone.
        (await other.Outbox.AdoptExpiredAsync(CancellationToken.None)).Should().Be(0);
        var late = await fleet.StartReplicaAsync("late");

        (await other.OwnIdsAsync(OutboxEntryState.Authorized)).Should().BeEmpty();
        (await other.OwnIdsAsync(OutboxEntryState.Pending)).Should().BeEmpty();
        (await late.OwnIdsAsync(OutboxEntryState.Pending)).Should().BeEmpty();
        (await live.OwnIdsAsync(OutboxEntryState.Authorized)).Should().Equal("live-open");
        (await live.OwnIdsAsync(OutboxEntryState.Pending)).Should().Equal("live-done");
        (await db.ScalarInAsync<long>(fleet.Schema, "SELECT count(*) FROM {s}.entries WHERE owner_instance_id <> 'live'")).Should().Be(0);
        await fleet.Emulator.ClearFaultsAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    public async Task A_reused_operation_id_is_refused_on_another_replica_through_the_shared_tombstone(int poolSize)
    {
        if (PostgresServer.ConnectionString is null && !PostgresServer.InCi)
        {
            return; // as [PostgresFact] skips: no server configured outside CI
        }

        await using var fleet = await StartAsync(db);
        var customer = await fleet.CustomerAsync();
        var a = await fleet.StartReplicaAsync("a", new MeteringOptions { ReservationPoolSize = poolSize });
        var b = await fleet.StartReplicaAsync("b", new MeteringOptions { ReservationPoolSize = poolSize });
        var first = await a.Guard.RunAsync(Op(customer, "shared-once"), Work(250)).WaitAsync(Bound);
        first.ReportState.Should().Be(ReportState.Delivered);

        var ran = false;
        var again = () => b.Guard.RunAsync(Op(customer, "shared-once"), Work(999, () => ran = true));
        var refused = (await again.Should().ThrowAsync<PaygenticOperationAlreadyMeteredException>()).Which;

        ran.Should().BeFalse("replica A charged this work already");
        refused.EarlierState.Should().Be(OutboxEntryState.Delivered);
        refused.EarlierReceipt!.Quantities.Should().BeEquivalentTo(first.Quantities);
        (await fleet.ChargedKeysAsync(customer)).Should().Equal("shared-once:usage");
    }

    [PostgresFact]
    public async Task A_dead_replicas_pooled_reservation_is_drawn_on_by_the_survivor_not_reserved_again()
    {
        await using var fleet = await StartAsync(db);
        var customer = await fleet.CustomerAsync();
        var options = new MeteringOptions { ReservationPoolSize = 10 };
        var dead = await fleet.StartReplicaAsync("pool-dead", options);
        await dead.Guard.RunAsync(Op(customer, "p-1"), Work(100)).WaitAsync(Bound);
        await dead.Guard.RunAsync(Op(customer, "p-2"), Work(100)).WaitAsync(Bound);
        await dead.Guard.StopAsync(CancellationToken.None);
        await dead.Outbox.DisposeAsync();
        await fleet.ExpireLeaseAsync("pool-dead");

        var survivor = await fleet.StartReplicaAsync("pool-survivor", options);
        await survivor.Guard.RunAsync(Op(customer, "p-3"), Work(100)).WaitAsync(Bound);
        await survivor.Guard.RunAsync(Op(customer, "p-4"), Work(100)).WaitAsync(Bound);

        var ledger = await fleet.Emulator.GetLedgerAsync(customer);
        var raw = ledger.Raw;
        raw.GetProperty("counts").GetProperty("reservations").GetInt32().Should().Be(1, "the survivor draws on the dead replica's pool");
        ledger.Charges.Should().HaveCount(4);
        ledger.InvariantHolds.Should().BeTrue();
        (await db.ScalarInAsync<string>(fleet.Schema, "SELECT owner_instance_id FROM {s}.reservation_pools")).Should().Be("pool-survivor");
    }

    [PostgresFact]
    public async Task A_guard_whose_outbox_was_closed_first_still_stops()
    {
        await using var fleet = await StartAsync(db);
        var replica = await fleet.StartReplicaAsync("closed-first");

        // Disposed in the wrong order (the outbox before the guard): the guard's wait for adopted work ends quietly.
        await replica.Outbox.DisposeAsync();
        await replica.Guard.StopAsync(CancellationToken.None).WaitAsync(Bound);
    }

    [PostgresFact]
    public async Task The_guard_commits_its_open_ticket_relaxed_and_its_report_durably_unless_authorizations_are_durable()
    {
        await using var fleet = await StartAsync(db);
        var customer = await fleet.CustomerAsync();
        var relaxed = await fleet.StartReplicaAsync("relaxed");
        var durable = await fleet.StartReplicaAsync("durable", configure: o => o.DurableAuthorizations = true);
        var probe = await CommitProbe.CreateAsync(db, fleet.Schema);
        await probe.WatchEntriesAsync();

        await relaxed.Guard.RunAsync(Op(customer, "r-1"), Work(100)).WaitAsync(Bound);
        await durable.Guard.RunAsync(Op(customer, "d-1"), Work(100)).WaitAsync(Bound);

        (await probe.SettingsAsync("r-1/authorized")).Should().Equal("off");
        (await probe.SettingsAsync("r-1/pending")).Should().OnlyContain(s => s == "on").And.NotBeEmpty();
        (await probe.SettingsAsync("d-1/authorized")).Should().Equal("on");
        (await probe.SettingsAsync("d-1/pending")).Should().OnlyContain(s => s == "on").And.NotBeEmpty();
        (await fleet.ChargedKeysAsync(customer)).Should().BeEquivalentTo(["r-1:usage", "d-1:usage"]);
    }
}
