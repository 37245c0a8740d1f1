using System.Net;
using System.Text.Json.Nodes;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

public sealed class UsageTests
{
    private const long Basic = 10_000_000;

    [Fact]
    public async Task Usage_charges_the_plan_price_or_the_price_override_in_nanodollars()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, subscription) = await emulator.FundedCustomerAsync("1.00");

        var (status, usage) = await emulator.UsageAsync(customer, "plan-price", "bm_exectime", 1234);
        var (_, overridden) = await emulator.UsageAsync(customer, "override", "bm_basicsub", 3, price: "0.002");

        status.Should().Be(HttpStatusCode.Created);
        ((string)usage["id"]!).Should().MatchRegex("^usg_[A-Za-z0-9]+$");
        ((string)usage["object"]!).Should().Be("usageEvent");
        ((string)usage["subscriptionId"]!).Should().Be(subscription);
        usage["billing"]!["totalAmount"]!.GetValueKind().Should().Be(System.Text.Json.JsonValueKind.Number);
        ((long)usage["billing"]!["totalAmount"]!).Should().Be(1234 * 10_000);
        ((long)usage["billing"]!["totalTax"]!).Should().Be(0);
        ((long)overridden["billing"]!["price"]!).Should().Be(3 * 2_000_000);
        (await emulator.BalanceAsync(customer)).Should().Be(Nanos.Usd(1) - 12_340_000 - 6_000_000);
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_event_and_charges_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");

        var first = await emulator.UsageAsync(customer, "once");
        var second = await emulator.UsageAsync(customer, "once");

        first.Status.Should().Be(HttpStatusCode.Created);
        second.Status.Should().Be(HttpStatusCode.Created);
        second.Body.ToJsonString().Should().Be(first.Body.ToJsonString());
        var ledger = await emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["charges"]!).Should().Be(1);
        ((long)ledger["balance"]!).Should().Be(Nanos.Usd(1) - Basic);
    }

    [Fact]
    public async Task Sixteen_concurrent_requests_with_one_key_charge_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");
        using var start = new ManualResetEventSlim();

        var requests = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await emulator.UsageAsync(customer, "race");
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(requests);

        responses.Should().OnlyContain(r => r.Status == HttpStatusCode.Created);
        responses.Select(r => (string)r.Body["id"]!).Distinct().Should().ContainSingle();
        var ledger = await emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["charges"]!).Should().Be(1);
        ((long)ledger["charged"]!).Should().Be(Basic);
    }

    [Fact]
    public async Task Quantity_must_be_an_integer_of_at_least_one()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync();

        (await emulator.UsageAsync(customer, "zero", quantity: 0)).ShouldBeValidationError("properties[0].quantity");
        var fractional = $"{{\"customerId\":\"{customer}\",\"merchantId\":\"org_demo\",\"idempotencyKey\":\"f\",\"timestamp\":\"2026-04-18T12:00:00Z\",\"properties\":[{{\"billableMetricId\":\"bm_basicsub\",\"quantity\":1.5}}]}}";
        (await emulator.PostAsync("/v0/usage", fractional)).ShouldBeValidationError("properties[0].quantity");
        (await emulator.PostAsync("/v0/usage", new { customerId = customer, merchantId = "org_demo", timestamp = TestEmulator.Start, properties = new[] { new { billableMetricId = "bm_basicsub", quantity = 1 } } }))
            .ShouldBeValidationError("idempotencyKey");
    }

    [Fact]
    public async Task Usage_needs_an_active_subscription_a_known_customer_and_metric()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var pending = await emulator.CreateCustomerAsync();
        await emulator.SubscribeAsync(pending, "5.00");
        var (customer, _) = await emulator.FundedCustomerAsync();

        (await emulator.UsageAsync(pending, "p")).ShouldBeError(HttpStatusCode.BadRequest, "NO_ACTIVE_SUBSCRIPTION");
        (await emulator.UsageAsync("cus_nobody", "n")).ShouldBeError(HttpStatusCode.BadRequest, "CUSTOMER_NOT_FOUND");
        (await emulator.UsageAsync(customer, "m", "bm_unknown")).ShouldBeError(HttpStatusCode.BadRequest, "BILLABLE_METRIC_NOT_FOUND");
        (await emulator.UsageAsync(customer, "s", "bm_stdsub")).ShouldBeError(HttpStatusCode.BadRequest, "METRIC_NOT_IN_PLAN");
        (await emulator.UsageAsync(customer, "e", entitlementId: "com_nothing")).ShouldBeError(HttpStatusCode.BadRequest, "ENTITLEMENT_NOT_FOUND");
        (await emulator.UsageAsync(customer, "broke", "bm_premiumsub", 1000)).ShouldBeError(HttpStatusCode.BadRequest, "INSUFFICIENT_FUNDS");
    }

    [Fact]
    public async Task A_batch_is_201_when_all_succeed_and_207_with_the_failures_otherwise()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");

        var all = await emulator.PostAsync("/v0/usage/batch", new { events = new[] { TestEmulator.UsageBody(customer, "b1"), TestEmulator.UsageBody(customer, "b2") } });
        var mixed = await emulator.PostAsync("/v0/usage/batch", new
        {
            events = new[]
            {
                TestEmulator.UsageBody(customer, "b1"),
                TestEmulator.UsageBody("cus_nobody", "b3"),
                TestEmulator.UsageBody(customer, "b4", quantity: 0),
                TestEmulator.UsageBody(customer, "b5", "bm_premiumsub", 100_000),
                TestEmulator.UsageBody(customer, "b6"),
            },
        });

        all.Status.Should().Be(HttpStatusCode.Created);
        ((string)all.Body["object"]!).Should().Be("batchUsageEvents");
        ((int)all.Body["summary"]!["successful"]!).Should().Be(2);
        mixed.Status.Should().Be((HttpStatusCode)207);
        mixed.Body["failed"]!.AsArray().Select(f => ((int)f!["index"]!, (string)f["idempotencyKey"]!)).Should().Equal((1, "b3"), (2, "b4"), (3, "b5"));
        ((int)mixed.Body["summary"]!["total"]!).Should().Be(5);
        ((int)mixed.Body["summary"]!["successful"]!).Should().Be(2);
        ((string)mixed.Body["successful"]![0]!["id"]!).Should().Be((string)all.Body["successful"]![0]!["id"]!, "a replayed key returns the same event");
        (await emulator.LedgerAsync(customer))["counts"]!["charges"]!.GetValue<int>().Should().Be(3);
        (await emulator.PostAsync("/v0/usage/batch", new { events = Array.Empty<object>() })).ShouldBeValidationError("events");
    }

    [Fact]
    public async Task Get_and_list_with_filters_and_paging()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, subscription) = await emulator.FundedCustomerAsync("1.00");
        var (other, _) = await emulator.FundedCustomerAsync("1.00");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((string)(await emulator.UsageAsync(customer, $"l{i}")).Body["id"]!);
        }

        await emulator.UsageAsync(other, "other");
        var window = "startTime=2026-04-18T00:00:00Z&endTime=2026-04-19T00:00:00Z";

        var page = await emulator.GetAsync($"/v0/usage?{window}&customerId={customer}&limit=2&offset=1");
        var bySubscription = await emulator.GetAsync($"/v0/usage?{window}&subscriptionId={subscription}");
        var byMerchant = await emulator.GetAsync($"/v0/usage?{window}&merchantId=org_demo");
        var outside = await emulator.GetAsync($"/v0/usage?startTime=2026-04-19T00:00:00Z&endTime=2026-04-20T00:00:00Z&customerId={customer}");
        var single = await emulator.GetAsync("/v0/usage/" + ids[3]);

        page.Body["data"]!.AsArray().Select(u => (string)u!["id"]!).Should().Equal(ids[1], ids[2]);
        ((int)page.Body["pagination"]!["total"]!).Should().Be(5);
        ((int)bySubscription.Body["pagination"]!["total"]!).Should().Be(5);
        ((int)byMerchant.Body["pagination"]!["total"]!).Should().Be(6);
        outside.Body["data"]!.AsArray().Should().BeEmpty();
        ((string)single.Body["idempotencyKey"]!).Should().Be("l3");
        (await emulator.GetAsync($"/v0/usage?{window}")).ShouldBeValidationError("customerId");
        (await emulator.GetAsync($"/v0/usage?customerId={customer}")).ShouldBeValidationError("startTime");
        (await emulator.GetAsync("/v0/usage/usg_nothing")).ShouldBeError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_refund_credits_the_charge_back_once()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");
        var id = (string)(await emulator.UsageAsync(customer, "r", "bm_premiumsub", 2)).Body["id"]!;

        var refund = await emulator.SendAsync(HttpMethod.Patch, "/v0/usage/" + id, new { refunded = true, reason = "Execution failed" });
        var again = await emulator.SendAsync(HttpMethod.Patch, "/v0/usage/" + id, new { refunded = true });

        refund.Status.Should().Be(HttpStatusCode.OK);
        ((string)refund.Body["refund"]!["reason"]!).Should().Be("Execution failed");
        again.ShouldBeError(HttpStatusCode.UnprocessableEntity, "ALREADY_REFUNDED");
        var ledger = await emulator.LedgerAsync(customer);
        ((long)ledger["balance"]!).Should().Be(Nanos.Usd(1));
        ((long)ledger["refunded"]!).Should().Be(100_000_000);
        ((bool)ledger["charges"]![0]!["refunded"]!).Should().BeTrue();
        ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue();
        (await emulator.SendAsync(HttpMethod.Patch, "/v0/usage/" + id, new { refunded = false })).ShouldBeValidationError("refunded");
    }

    [Fact]
    public async Task Metadata_values_must_be_strings()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync();
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(TestEmulator.UsageBody(customer, "meta"), System.Text.Json.JsonSerializerOptions.Web))!;
        body["metadata"] = new JsonObject { ["lang"] = "python", ["ms"] = 12 };

        (await emulator.PostAsync("/v0/usage", body.ToJsonString())).ShouldBeValidationError("metadata.ms");
    }
}
