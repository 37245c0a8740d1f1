using System.Net;
using System.Text.Json.Nodes;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

public sealed class EventTests
{
    private static object Event(string subject, string? key, string type = "code.submission") =>
        new { type, source = "https://coderunner.example", subject, idempotencyKey = key, data = new { language = "python" } };

    [Fact]
    public async Task Events_are_accepted_deduplicated_and_refused_for_an_unknown_type()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();

        var first = await emulator.PostAsync("/v0/events", Event(customer, "e1"));
        var again = await emulator.PostAsync("/v0/events", Event(customer, "e1"));
        var unknown = await emulator.PostAsync("/v0/events", Event(customer, "e2", "nobody.measures.this"));
        var unkeyed = await emulator.PostAsync("/v0/events", Event(customer, null));

        first.Status.Should().Be(HttpStatusCode.Accepted);
        ((string)first.Body["object"]!).Should().Be("event");
        ((string)first.Body["namespace"]!).Should().Be("org_demo");
        ((string)again.Body["id"]!).Should().Be((string)first.Body["id"]!);
        unknown.ShouldBeError(HttpStatusCode.UnprocessableEntity);
        ((string)unknown.Body["error"]!).Should().Be("invalid_event_type");
        ((string)unkeyed.Body["idempotencyKey"]!).Should().NotBeNullOrEmpty();
        var (_, log) = await emulator.GetAsync("/_emulator/events/" + customer);
        ((int)log["count"]!).Should().Be(2);
        (await emulator.PostAsync("/v0/events", new { type = "code.submission", source = "s", subject = customer })).ShouldBeValidationError("data");
    }

    [Fact]
    public async Task The_standard_plan_provisions_a_metered_entitlement_that_events_draw_down()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();
        var subscription = await emulator.SubscribeAsync(customer, null, "plan_standard");

        ((string)subscription["status"]!).Should().Be("active");
        await emulator.PostAsync("/v0/events", Event(customer, "s1"));
        await emulator.PostAsync("/v0/events", Event(customer, "s1"));
        await emulator.PostAsync("/v0/events", Event(customer, "s2"));

        var (status, list) = await emulator.GetAsync($"/v1/entitlements?customerId={customer}&featureKey=submissions&productId=prod_codeexec");
        status.Should().Be(HttpStatusCode.OK);
        var access = list["data"]!.AsArray().Should().ContainSingle().Subject!;
        ((bool)access["hasAccess"]!).Should().BeTrue();
        ((string)access["featureType"]!).Should().Be("metered");
        ((decimal)access["balance"]!).Should().Be(998);
        ((decimal)access["usageInPeriod"]!).Should().Be(2);
        ((string)access["entitlementId"]!).Should().MatchRegex("^ent_[A-Za-z0-9]+$");

        // Next month the allowance resets.
        var (_, detail) = await emulator.GetAsync($"/v1/entitlements/{(string)access["entitlementId"]!}?at=2026-05-20T00:00:00Z");
        ((decimal)detail["balance"]!).Should().Be(1000);
        ((bool)detail["isSoftLimit"]!).Should().BeFalse();
        ((string)detail["featureKey"]!).Should().Be("submissions");
    }

    [Fact]
    public async Task A_hard_limit_denies_access_once_the_balance_is_used_up()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();
        var issue = new
        {
            customerId = customer,
            featureId = "feat_submissions",
            template = new { type = "metered", usagePeriod = new { interval = "P1M" }, issueAfterReset = 3 },
        };

        var issued = await emulator.PostAsync("/v1/entitlements", issue);
        var twice = await emulator.PostAsync("/v1/entitlements", issue);
        var id = (string)issued.Body["id"]!;
        for (var i = 0; i < 3; i++)
        {
            (await emulator.PostAsync("/v0/events", Event(customer, $"h{i}"))).Status.Should().Be(HttpStatusCode.Accepted);
        }

        issued.Status.Should().Be(HttpStatusCode.Created);
        issued.Body.AsObject().ContainsKey("config").Should().BeTrue("the newer spec requires config on every entitlement");
        issued.Body["config"].Should().BeNull("a metered entitlement has no configuration");
        twice.ShouldBeError(HttpStatusCode.Conflict);
        var (_, detail) = await emulator.GetAsync("/v1/entitlements/" + id);
        ((bool)detail["hasAccess"]!).Should().BeFalse();
        ((decimal)detail["balance"]!).Should().Be(0);
        ((decimal)detail["usageInPeriod"]!).Should().Be(3);
        var (_, earlier) = await emulator.GetAsync($"/v1/entitlements/{id}?at={Uri.EscapeDataString(TestEmulator.Start.AddSeconds(-1).ToString("O"))}");
        ((bool)earlier["hasAccess"]!).Should().BeFalse("it was not active yet");
    }

    [Fact]
    public async Task The_v1_list_checks_its_parameters()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();

        (await emulator.GetAsync($"/v1/entitlements?customerId={customer}&featureKey=submissions")).ShouldBeValidationError("productId");
        (await emulator.GetAsync("/v1/entitlements")).ShouldBeValidationError("customerId");
        (await emulator.GetAsync("/v1/entitlements/ent_nothing")).ShouldBeError(HttpStatusCode.NotFound);
        var (_, empty) = await emulator.GetAsync("/v1/entitlements?customerId=" + customer);
        empty["data"]!.AsArray().Should().BeEmpty();
        (await emulator.PostAsync("/v1/entitlements", new { customerId = customer, featureId = "feat_nothing", template = new { type = "boolean" } }))
            .ShouldBeError(HttpStatusCode.NotFound);
        (await emulator.PostAsync("/v1/entitlements", new { customerId = customer, featureId = "feat_submissions", template = new { type = "boolean" } }))
            .ShouldBeError(HttpStatusCode.BadRequest, "TEMPLATE_MISMATCH");
    }

    [Fact]
    public async Task Terminating_the_subscription_ends_its_access()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();
        var subscription = await emulator.SubscribeAsync(customer, null, "plan_standard");

        await emulator.PostAsync($"/v0/subscriptions/{(string)subscription["id"]!}/termination", new { reason = "done" });

        var (_, list) = await emulator.GetAsync("/v1/entitlements?customerId=" + customer);
        var access = (JsonObject)list["data"]![0]!;
        ((bool)access["hasAccess"]!).Should().BeFalse();
        ((string)access["status"]!).Should().Be("canceled");
    }
}
