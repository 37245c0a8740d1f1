using Microsoft.Extensions.Time.Testing;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Metering.Tests.Infrastructure;
using Paygentic.Sdk.Outbox.Sqlite;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>
/// <see cref="MeteringOptions.CallerStoresTickets"/> against the emulator, with a SQLite outbox file: authorizing writes
/// nothing, completing writes the report, a cancel gives a pooled use back once, and the next process completes what the
/// caller stored without reusing the earlier pool.
/// </summary>
public sealed class CallerStoredTicketTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TempDir _dir = new();
    private EmulatorHost _emulator = null!;

    public async Task InitializeAsync() => _emulator = await EmulatorHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        _dir.Dispose();
    }

    private static MeteredOperation Op(string customer, string id) => new()
    {
        CustomerId = customer,
        OperationId = id,
        EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 100 },
    };

    // Pools of exactly four uses, never made ahead, so which reservation serves which operation is known.
    private static MeteringOptions FixedPools(bool callerStoresTickets) => new()
    {
        CallerStoresTickets = callerStoresTickets,
        ReservationPoolSize = 4,
        ReservationPoolMaxSize = 4,
        ReservationRefillAhead = false,
        WaitForDelivery = false,
    };

    [Fact]
    public async Task Authorizing_writes_nothing_completing_writes_the_report_and_the_charge_is_exact_and_once()
    {
        await using var setup = await CallerStoringAsync("kept.db");
        var (customer, outbox, guard) = (setup.Customer, setup.Outbox, setup.Guard);

        var ticket = await guard.AuthorizeAsync(Op(customer, "kept-1")).WaitAsync(Bound);
        (await outbox.GetAsync("kept-1", CancellationToken.None)).Should().BeNull("the caller stores the ticket");
        (await outbox.LoadAsync(OutboxEntryState.Reservation, CancellationToken.None)).Should().BeEmpty("a pool is not stored when its uses' tickets are not");

        var stored = ticket.ToJson(); // the caller's own record of it
        var receipt = await guard.CompleteAsync(MeteringTicket.FromJson(stored), new Dictionary<string, long> { ["bm_exectime"] = 250 }).WaitAsync(Bound);
        receipt.IdempotencyKey.Should().Be("kept-1:usage");
        (await outbox.GetAsync("kept-1", CancellationToken.None))!.State.Should().Be(OutboxEntryState.Pending, "the report is durable before CompleteAsync returns");
        await EmulatorGuardTests.DrainAsync(guard);

        // RunAsync has no caller to store its ticket: the guard still records it while the work runs.
        OutboxEntry? whileRunning = null;
        await guard.RunAsync(Op(customer, "run-1"), async (_, _) => whileRunning = await outbox.GetAsync("run-1", CancellationToken.None)).WaitAsync(Bound);
        whileRunning!.State.Should().Be(OutboxEntryState.Authorized);
        await EmulatorGuardTests.DrainAsync(guard);

        var charges = await _emulator.ChargesAsync(customer);
        charges.Should().BeEquivalentTo([("kept-1:usage", Nanodollars.FromUsd(0.01m + (250 * 0.00001m)).Value), ("run-1:usage", Nanodollars.FromUsd(0.01m + (100 * 0.00001m)).Value)]);
        ((bool)(await _emulator.LedgerAsync(customer))["invariant"]!["holds"]!).Should().BeTrue();
    }

    [Fact]
    public async Task A_cancel_gives_the_pooled_use_back_once_and_never_after_a_completion()
    {
        await using var setup = await CallerStoringAsync("cancel.db");
        var (customer, outbox, guard) = (setup.Customer, setup.Outbox, setup.Guard);

        var a = await guard.AuthorizeAsync(Op(customer, "a")).WaitAsync(Bound);
        var b = await guard.AuthorizeAsync(Op(customer, "b")).WaitAsync(Bound);
        await guard.CompleteAsync(a).WaitAsync(Bound);
        await EmulatorGuardTests.DrainAsync(guard); // delivered: no longer pending in the reporter
        await guard.CancelAsync(a).WaitAsync(Bound); // completed: its use is spent
        await guard.CancelAsync(b).WaitAsync(Bound); // its use is free again
        await guard.CancelAsync(MeteringTicket.FromJson(b.ToJson())).WaitAsync(Bound); // once only

        // Four uses: a's, then three more. The next operation needs a new reservation.
        await AuthorizeFromFirstReservationAsync(guard, customer, a.AuthorizationId!, ["c", "d", "e", "f"], fromFirst: 3);
        (await _emulator.ChargesAsync(customer)).Select(c => c.Key).Should().BeEquivalentTo(["a:usage", "c:usage", "d:usage", "e:usage", "f:usage"]);
    }

    [Fact]
    public async Task A_cancel_while_the_report_is_being_written_gives_nothing_back()
    {
        await using var gated = await CallerStoringAsync("race.db");
        gated.Gate.Hold = true;

        var x = await gated.Guard.AuthorizeAsync(Op(gated.Customer, "x")).WaitAsync(Bound);
        var completing = gated.Guard.CompleteAsync(x);
        await gated.Gate.Entered.WaitAsync(Bound);
        await gated.Guard.CancelAsync(x).WaitAsync(Bound); // the completion has claimed the ticket
        gated.Gate.Proceed();
        await completing.WaitAsync(Bound);

        await AuthorizeFromFirstReservationAsync(gated.Guard, gated.Customer, x.AuthorizationId!, ["p", "q", "r", "s"], fromFirst: 3);
        (await _emulator.ChargesAsync(gated.Customer)).Select(c => c.Key).Should().BeEquivalentTo(["x:usage", "p:usage", "q:usage", "r:usage", "s:usage"]);
    }

    [Fact]
    public async Task A_ticket_whose_report_could_not_be_stored_stays_open_and_its_cancel_gives_the_use_back()
    {
        await using var gated = await CallerStoringAsync("refused.db");
        gated.Gate.Refuse = true;

        var x = await gated.Guard.AuthorizeAsync(Op(gated.Customer, "x")).WaitAsync(Bound);
        await gated.Guard.Invoking(g => g.CompleteAsync(x)).Should().ThrowAsync<UsageOutboxException>();
        gated.Gate.Refuse = false;
        await gated.Guard.CancelAsync(x).WaitAsync(Bound);

        await AuthorizeFromFirstReservationAsync(gated.Guard, gated.Customer, x.AuthorizationId!, ["p", "q", "r", "s", "t"], fromFirst: 4);
        (await _emulator.ChargesAsync(gated.Customer)).Select(c => c.Key).Should().BeEquivalentTo(["p:usage", "q:usage", "r:usage", "s:usage", "t:usage"]);
    }

    [Fact]
    public void Open_tickets_a_caller_never_finished_are_forgotten_once_their_reservation_has_expired()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var open = new CallerKeptTickets(time);
        MeteringTicket Ticket(int i, TimeSpan life, bool pooled = true) => new()
        {
            OperationId = $"op-{i}",
            CustomerId = "cus_1",
            Strategy = MeteringStrategy.Legacy,
            AuthorizationId = "com_1",
            AuthorizationExpiresAt = time.GetUtcNow() + life,
            Pooled = pooled,
            AuthorizedAt = time.GetUtcNow(),
        };

        open.Opened(Ticket(-1, TimeSpan.FromHours(1), pooled: false));
        open.Count.Should().Be(0, "only a pooled use is given back");
        for (var i = 0; i < 1000; i++)
        {
            open.Opened(Ticket(i, TimeSpan.FromMinutes(5)));
        }

        time.Advance(TimeSpan.FromMinutes(10));
        for (var i = 1000; i < 1024; i++)
        {
            open.Opened(Ticket(i, TimeSpan.FromMinutes(5)));
        }

        open.Count.Should().Be(24, "the first thousand expired before the 1,024th ticket was opened");
        open.TryClose("op-1000").Should().BeTrue();
        open.TryClose("op-1000").Should().BeFalse("a ticket ends once");
    }

    /// <summary>
    /// A new customer and a guard whose caller stores its tickets, over a SQLite outbox behind a
    /// <see cref="ReportWriteGate"/> (passing everything through until the test sets it).
    /// </summary>
    private async Task<Gated> CallerStoringAsync(string file)
    {
        var customer = await _emulator.CustomerAsync("10.00");
        var client = _emulator.NewClient();
        var outbox = new SqliteUsageOutbox(_dir.File(file));
        var gate = new ReportWriteGate(outbox);
        return new Gated(customer, client, outbox, gate, new MeteringGuard(client, gate, FixedPools(callerStoresTickets: true)));
    }

    private sealed record Gated(string Customer, PaygenticClient Client, SqliteUsageOutbox Outbox, ReportWriteGate Gate, MeteringGuard Guard) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Guard.DisposeAsync();
            await Outbox.DisposeAsync();
            Client.Dispose();
        }
    }

    /// <summary>
    /// Authorizes <paramref name="ids"/> in order and checks that the first <paramref name="fromFirst"/> drew on
    /// <paramref name="first"/> and the rest on a second reservation; then completes them all and checks the ledger.
    /// </summary>
    private async Task AuthorizeFromFirstReservationAsync(MeteringGuard guard, string customer, string first, string[] ids, int fromFirst)
    {
        var tickets = new List<MeteringTicket>();
        foreach (var id in ids)
        {
            tickets.Add(await guard.AuthorizeAsync(Op(customer, id)).WaitAsync(Bound));
        }

        tickets.Take(fromFirst).Select(t => t.AuthorizationId).Should().AllBe(first);
        tickets.Skip(fromFirst).Select(t => t.AuthorizationId).Should().NotContain(first, "the first reservation's four uses are spent");
        foreach (var ticket in tickets)
        {
            await guard.CompleteAsync(ticket).WaitAsync(Bound);
        }

        await EmulatorGuardTests.DrainAsync(guard);
        var ledger = await _emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["reservations"]!).Should().Be(2);
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
        (await guard.Reports.GetDeadLettersAsync()).Should().BeEmpty("no report went beyond its reservation's uses");
    }

    [Fact]
    public async Task The_next_process_completes_a_stored_ticket_once_and_holds_anew_instead_of_reusing_a_stored_pool()
    {
        var customer = await _emulator.CustomerAsync("10.00");
        using var client = _emulator.NewClient();
        var path = _dir.File("restart.db");

        // An earlier process without the option stored its pool (three of four uses left).
        string storedPool;
        await using (var outbox = new SqliteUsageOutbox(path))
        await using (var guard = new MeteringGuard(client, outbox, FixedPools(callerStoresTickets: false)))
        {
            storedPool = (await guard.RunAsync(Op(customer, "before"), (_, _) => Task.FromResult(0)).WaitAsync(Bound)).AuthorizationId!;
            (await outbox.LoadAsync(OutboxEntryState.Reservation, CancellationToken.None)).Should().ContainSingle();
        }

        // A process with it: the stored pool is forgotten, not reused; one ticket completed, one left to its caller.
        string keptJson;
        string firstPool;
        await using (var outbox = new SqliteUsageOutbox(path))
        await using (var guard = new MeteringGuard(client, outbox, FixedPools(callerStoresTickets: true)))
        {
            var done = await guard.AuthorizeAsync(Op(customer, "done")).WaitAsync(Bound);
            var kept = await guard.AuthorizeAsync(Op(customer, "kept")).WaitAsync(Bound);
            (await outbox.LoadAsync(OutboxEntryState.Reservation, CancellationToken.None)).Should().BeEmpty();
            done.AuthorizationId.Should().NotBe(storedPool, "its taken uses would be miscounted from now on");
            await guard.CompleteAsync(done).WaitAsync(Bound);
            firstPool = kept.AuthorizationId!;
            keptJson = kept.ToJson();
        }

        // The next process: the caller completes what it stored, twice (a retry after another crash); it is charged once,
        // from the reservation it was authorized on, while new work gets a reservation of its own.
        await using (var outbox = new SqliteUsageOutbox(path))
        await using (var guard = new MeteringGuard(client, outbox, FixedPools(callerStoresTickets: true)))
        {
            await guard.CompleteAsync(MeteringTicket.FromJson(keptJson)).WaitAsync(Bound);
            await EmulatorGuardTests.DrainAsync(guard);
            await guard.CompleteAsync(MeteringTicket.FromJson(keptJson)).WaitAsync(Bound);
            var fresh = await guard.AuthorizeAsync(Op(customer, "after")).WaitAsync(Bound);
            fresh.AuthorizationId.Should().NotBe(firstPool);
            await guard.CompleteAsync(fresh).WaitAsync(Bound);
            await EmulatorGuardTests.DrainAsync(guard);
        }

        var ledger = await _emulator.LedgerAsync(customer);
        var charges = ledger["charges"]!.AsArray().Select(c => ((string)c!["idempotencyKey"]!, (string)c["entitlementId"]!)).ToList();
        charges.Should().BeEquivalentTo([("before:usage", storedPool), ("done:usage", firstPool), ("kept:usage", firstPool), ("after:usage", charges.Single(c => c.Item1 == "after:usage").Item2)]);
        ((int)ledger["counts"]!["reservations"]!).Should().Be(3);
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
    }
}
