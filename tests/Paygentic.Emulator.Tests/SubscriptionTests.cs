using System.Net;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

public sealed class SubscriptionTests
{
    [Fact]
    public async Task A_prefund_waits_for_the_checkout_which_credits_the_wallet_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();

        var subscription = await emulator.SubscribeAsync(customer, "25.50");
        var payment = subscription["payment"]!;
        var checkoutUrl = (string)payment["checkoutUrl"]!;

        ((string)subscription["status"]!).Should().Be("pending_payment");
        ((string)subscription["prefundAmount"]!).Should().Be("25500000000", "prefundAmount comes back in nanodollars");
        ((string)payment["status"]!).Should().Be("pending");
        ((string)payment["amount"]!).Should().Be("25.50");
        ((string)payment["breakdown"]!["walletCharge"]!).Should().Be("25.50");
        ((string)payment["breakdown"]!["upfrontCharges"]!).Should().Be("0.00");
        checkoutUrl.Should().Be("http://localhost/_emulator/checkout/" + (string)payment["paymentSessionId"]!);
        (await emulator.BalanceAsync(customer)).Should().Be(0);

        using var page = await emulator.Client.GetAsync(checkoutUrl);
        (await page.Content.ReadAsStringAsync()).Should().Contain("<button").And.Contain("25.50");
        using var first = await emulator.Client.PostAsync(checkoutUrl, null);
        using var second = await emulator.Client.PostAsync(checkoutUrl, null);

        first.StatusCode.Should().Be(HttpStatusCode.OK);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        var ledger = await emulator.LedgerAsync(customer);
        ((long)ledger["balance"]!).Should().Be(Nanos.Usd(25.50m));
        ((long)ledger["prefunds"]!).Should().Be(Nanos.Usd(25.50m));
        ((int)ledger["counts"]!["prefunds"]!).Should().Be(1);
        var (_, after) = await emulator.GetAsync("/v0/subscriptions/" + (string)subscription["id"]!);
        ((string)after["status"]!).Should().Be("active");
        after.AsObject().ContainsKey("payment").Should().BeFalse("once paid, reads leave the payment out");
    }

    [Fact]
    public async Task Auto_pay_activates_at_once()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.AutoPay = true);
        var customer = await emulator.CreateCustomerAsync();

        var subscription = await emulator.SubscribeAsync(customer, "5");

        ((string)subscription["status"]!).Should().Be("active");
        ((string)subscription["payment"]!["status"]!).Should().Be("paid");
        ((string)subscription["payment"]!["invoiceId"]!).Should().StartWith("inv_");
        (await emulator.BalanceAsync(customer)).Should().Be(Nanos.Usd(5));
    }

    [Fact]
    public async Task The_same_request_again_is_200_and_other_problems_are_declared_statuses()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();
        var body = new { name = "Same", planId = "plan_legacy", customerId = customer, startedAt = TestEmulator.Start, prefundAmount = "1.00" };

        var first = await emulator.PostAsync("/v0/subscriptions", body);
        var again = await emulator.PostAsync("/v0/subscriptions", body);

        first.Status.Should().Be(HttpStatusCode.Created);
        again.Status.Should().Be(HttpStatusCode.OK);
        ((string)again.Body["id"]!).Should().Be((string)first.Body["id"]!);
        (await emulator.PostAsync("/v0/subscriptions", new { name = "x", planId = "plan_none", customerId = customer, startedAt = TestEmulator.Start }))
            .ShouldBeError(HttpStatusCode.NotFound, "PLAN_NOT_FOUND");
        (await emulator.PostAsync("/v0/subscriptions", new { name = "x", planId = "plan_legacy", customerId = customer, startedAt = TestEmulator.Start, prefundAmount = "1.0000000001" }))
            .ShouldBeValidationError("prefundAmount");
        (await emulator.PostAsync("/v0/subscriptions", new { name = "x", planId = "plan_otherlegacy", customerId = customer, startedAt = TestEmulator.Start }))
            .ShouldBeError(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task List_declares_limit_and_offset_as_strings_and_filters()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync();
        await emulator.SubscribeAsync(customer, "2");
        await emulator.FundedCustomerAsync();

        var (status, body) = await emulator.GetAsync($"/v0/subscriptions?customerId={customer}&status=pending_payment&limit=10&offset=0&include=customer");

        status.Should().Be(HttpStatusCode.OK);
        body["data"]!.AsArray().Should().ContainSingle();
        ((string)body["data"]![0]!["customer"]!["merchant"]!["id"]!).Should().Be("org_demo");
        ((int)body["pagination"]!["total"]!).Should().Be(1);
    }

    [Fact]
    public async Task Termination_needs_a_reason_and_happens_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, subscription) = await emulator.FundedCustomerAsync();

        (await emulator.PostAsync($"/v0/subscriptions/{subscription}/termination", new { })).ShouldBeValidationError("reason");
        var ended = await emulator.PostAsync($"/v0/subscriptions/{subscription}/termination", new { reason = "Customer request" });
        var again = await emulator.PostAsync($"/v0/subscriptions/{subscription}/termination", new { reason = "Again" });

        ended.Status.Should().Be(HttpStatusCode.OK);
        ((string)ended.Body["status"]!).Should().Be("terminated");
        ((string)ended.Body["terminatedBy"]!).Should().Be("org_demo");
        again.ShouldBeError(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_portal_link_shows_the_balance_until_it_expires()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, subscription) = await emulator.FundedCustomerAsync("12.34");
        await emulator.UsageAsync(customer, "portal-usage");

        var (status, portal) = await emulator.PostAsync($"/v0/subscriptions/{subscription}/portal", new { expiresIn = "PT30M" });
        var url = (string)portal["url"]!;
        using var page = await emulator.Client.GetAsync(url);

        status.Should().Be(HttpStatusCode.OK);
        ((string)portal["object"]!).Should().Be("subscriptionPortal");
        ((DateTimeOffset)portal["expiresAt"]!).Should().Be(TestEmulator.Start.AddMinutes(30));
        url.Should().StartWith("http://localhost/_emulator/portal/");
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("12.33").And.Contain("bm_basicsub");

        emulator.Time.Advance(TimeSpan.FromMinutes(30));
        using var expired = await emulator.Client.GetAsync(url);
        expired.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_portal_link_defaults_to_ten_minutes_and_refuses_more_than_seven_days()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, subscription) = await emulator.FundedCustomerAsync();

        var (_, portal) = await emulator.PostAsync($"/v0/subscriptions/{subscription}/portal");

        ((DateTimeOffset)portal["expiresAt"]!).Should().Be(TestEmulator.Start.AddMinutes(10));
        (await emulator.PostAsync($"/v0/subscriptions/{subscription}/portal", new { expiresIn = "P8D" })).ShouldBeValidationError("expiresIn");
        (await emulator.PostAsync("/v0/subscriptions/sub_nothing/portal")).ShouldBeError(HttpStatusCode.NotFound);
        using var unknown = await emulator.Client.GetAsync("/_emulator/portal/nothing");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
