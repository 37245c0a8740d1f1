using System.Net;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

public sealed class ReservationTests
{
    private const long Basic = 10_000_000;     // $0.01
    private const long Premium = 50_000_000;   // $0.05
    private const long PerMs = 10_000;         // $0.00001

    [Fact]
    public async Task A_reservation_holds_its_amount_and_releases_the_rest_when_its_uses_run_out()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");

        var (status, reservation) = await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_premiumsub", quantity = 2 }], maxUses: 2);
        var id = (string)reservation["id"]!;

        status.Should().Be(HttpStatusCode.Created);
        id.Should().MatchRegex("^com_[A-Za-z0-9]+$");
        ((string)reservation["remainingBalance"]!).Should().Be((2 * Premium).ToString(System.Globalization.CultureInfo.InvariantCulture));
        ((int)reservation["maxUses"]!).Should().Be(2);
        ((int)reservation["usedCount"]!).Should().Be(0);
        ((DateTimeOffset)reservation["expiresAt"]!).Should().Be(TestEmulator.Start.AddHours(1));
        var held = await emulator.LedgerAsync(customer);
        ((long)held["balance"]!).Should().Be(Nanos.Usd(1) - (2 * Premium));
        ((long)held["held"]!).Should().Be(2 * Premium);
        ((int)held["holds"]![0]!["usesLeft"]!).Should().Be(2);

        (await emulator.UsageAsync(customer, "u1", "bm_basicsub", 1, id)).Status.Should().Be(HttpStatusCode.Created);
        (await emulator.UsageAsync(customer, "u2", "bm_basicsub", 1, id)).Status.Should().Be(HttpStatusCode.Created);

        var after = await emulator.LedgerAsync(customer);
        ((long)after["held"]!).Should().Be(0);
        after["holds"]!.AsArray().Should().BeEmpty();
        ((long)after["balance"]!).Should().Be(Nanos.Usd(1) - (2 * Basic), "the unused remainder returned to the balance");
        ((bool)after["invariant"]!["holds"]!).Should().BeTrue();
    }

    [Fact]
    public async Task An_expired_reservation_returns_its_funds()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");
        var (_, reservation) = await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_basicsub", quantity = 10 }], maxUses: 5);

        (await emulator.BalanceAsync(customer)).Should().Be(Nanos.Usd(1) - (10 * Basic));
        emulator.Time.Advance(TimeSpan.FromMinutes(5));

        var ledger = await emulator.LedgerAsync(customer);
        ((long)ledger["balance"]!).Should().Be(Nanos.Usd(1));
        ((long)ledger["held"]!).Should().Be(0);

        // Citing the expired reservation charges the balance instead.
        var usage = await emulator.UsageAsync(customer, "late", "bm_basicsub", 1, (string)reservation["id"]!);
        usage.Status.Should().Be(HttpStatusCode.Created);
        (await emulator.BalanceAsync(customer)).Should().Be(Nanos.Usd(1) - Basic);
    }

    [Fact]
    public async Task Usage_beyond_the_reservation_is_drawn_from_the_balance_and_refused_only_when_both_are_short()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync("0.10");
        var (_, reservation) = await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_basicsub", quantity = 2 }], maxUses: 3);
        var id = (string)reservation["id"]!;

        // Holds 0.02, balance 0.08. Charge 0.05: 0.02 from the hold, 0.03 from the balance.
        var over = await emulator.UsageAsync(customer, "over", "bm_basicsub", 5, id);
        over.Status.Should().Be(HttpStatusCode.Created);
        var ledger = await emulator.LedgerAsync(customer);
        ((long)ledger["balance"]!).Should().Be(Nanos.Usd(0.05m));
        ((long)ledger["charges"]![0]!["fromReservation"]!).Should().Be(2 * Basic);
        ((long)ledger["charges"]![0]!["fromBalance"]!).Should().Be(3 * Basic);

        // 0.06 > 0.00 left in the hold + 0.05 balance: refused, and nothing moves.
        var refused = await emulator.UsageAsync(customer, "refused", "bm_basicsub", 6, id);
        refused.ShouldBeError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS");
        (await emulator.BalanceAsync(customer)).Should().Be(Nanos.Usd(0.05m));
        (await emulator.UsageAsync(customer, "fits", "bm_basicsub", 5, id)).Status.Should().Be(HttpStatusCode.Created);
        (await emulator.BalanceAsync(customer)).Should().Be(0);
    }

    [Fact]
    public async Task A_fractional_quantity_rounds_the_hold_up_to_the_nanodollar()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");

        // 0.00001 USD/ms × 0.00005 ms = 0.5 nanodollar → holds 1.
        var (status, reservation) = await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_exectime", quantity = 0.00005 }]);
        var (_, price) = await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_exectime", quantity = 1.5, price = "0.000000001" }]);

        status.Should().Be(HttpStatusCode.Created);
        ((string)reservation["remainingBalance"]!).Should().Be("1");
        ((string)price["remainingBalance"]!).Should().Be("2");
        ((string)price["billableMetrics"]![0]!["price"]!).Should().Be("0.000000001");
        (await emulator.BalanceAsync(customer)).Should().Be(Nanos.Usd(1) - 3);
    }

    [Fact]
    public async Task Amounts_that_would_overflow_are_refused_as_insufficient_funds()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");

        (await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_premiumsub", quantity = 1e20 }]))
            .ShouldBeError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS");
        (await emulator.PostAsync("/v0/entitlements", $"{{\"customerId\":\"{customer}\",\"merchantId\":\"org_demo\",\"entitlementData\":[{{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1e40}}]}}"))
            .ShouldBeError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS");
        (await emulator.UsageAsync(customer, "huge", "bm_premiumsub", long.MaxValue))
            .ShouldBeError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS");
        (await emulator.UsageAsync(customer, "huge-price", "bm_basicsub", 2, price: "9999999999999.999999999"))
            .ShouldBeError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS");
        var ledger = await emulator.LedgerAsync(customer);
        ((long)ledger["balance"]!).Should().Be(Nanos.Usd(1));
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
    }

    [Fact]
    public async Task Refusals_use_declared_statuses_with_codes()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync("0.01");
        var unpaid = await emulator.CreateCustomerAsync();

        (await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_basicsub", quantity = 2 }])).ShouldBeError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS");
        (await emulator.ReserveAsync("cus_nobody", [new { billableMetricId = "bm_basicsub", quantity = 1 }])).ShouldBeError(HttpStatusCode.BadRequest, "CUSTOMER_NOT_FOUND");
        (await emulator.ReserveAsync(unpaid, [new { billableMetricId = "bm_basicsub", quantity = 1 }])).ShouldBeError(HttpStatusCode.BadRequest, "NO_ACTIVE_SUBSCRIPTION");
        (await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_basicsub", quantity = -1 }])).ShouldBeValidationError("entitlementData[0].quantity");
        (await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_basicsub", quantity = 1 }], maxUses: 1001)).ShouldBeValidationError("maxUses");
        using var other = emulator.NewClient(TestEmulator.OtherKey);
        (await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_basicsub", quantity = 1 }], client: other)).ShouldBeError(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Active_entitlements_list_subscription_derived_access()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, subscription) = await emulator.FundedCustomerAsync();

        var (status, body) = await emulator.GetAsync("/v0/entitlements/activeEntitlements?customerId=" + customer);

        status.Should().Be(HttpStatusCode.OK);
        var item = body["data"]!.AsArray().Should().ContainSingle().Subject!;
        ((string)item["subscriptionId"]!).Should().Be(subscription);
        ((string)item["planId"]!).Should().Be("plan_legacy");
        ((string)item["productId"]!).Should().Be("prod_codeexec");
        item["billableMetrics"]!.AsArray().Select(m => (string?)m).Should().BeEquivalentTo("bm_basicsub", "bm_premiumsub", "bm_exectime");
        ((string)item["id"]!).Should().MatchRegex("^ent_[A-Za-z0-9]+$");
    }
}
