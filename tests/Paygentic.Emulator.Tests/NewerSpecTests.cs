using System.Net;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

/// <summary>
/// What the 2026-08-06 description adds to the operations both files share: the emulator's answers carry what
/// either file requires, and it accepts the newer requests.
/// </summary>
public sealed class NewerSpecTests
{
    [Fact]
    public async Task A_subscription_carries_its_merchant_payment_term_and_metadata()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();

        var (status, created) = await emulator.PostAsync("/v0/subscriptions", new
        {
            name = "Net 30",
            planId = "plan_standard",
            customerId = customer,
            startedAt = TestEmulator.Start,
            paymentTermDays = 30,
            metadata = new { team = "core", seats = 3, trial = false },
        });
        var (_, plain) = await emulator.PostAsync("/v0/subscriptions", new { name = "Plain", planId = "plan_standard", customerId = customer, startedAt = TestEmulator.Start });

        status.Should().Be(HttpStatusCode.Created);
        ((string)created["merchantId"]!).Should().Be("org_demo");
        ((int)created["paymentTermDays"]!).Should().Be(30);
        created["metadata"]!.ToJsonString().Should().Be("""{"team":"core","seats":3,"trial":false}""");
        ((int)plain["paymentTermDays"]!).Should().Be(0, "the newer spec requires it; 0 is its default");
        plain.AsObject().ContainsKey("metadata").Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"paymentTermDays":366}""", "paymentTermDays")]
    [InlineData("""{"paymentTermDays":-1}""", "paymentTermDays")]
    [InlineData("""{"metadata":{"nested":{"a":1}}}""", "metadata.nested")]
    [InlineData("""{"metadata":{"list":[1]}}""", "metadata.list")]
    public async Task A_bad_payment_term_or_metadata_value_is_a_validation_error(string extra, string field)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();
        var body = $$"""{"name":"n","planId":"plan_standard","customerId":"{{customer}}","startedAt":"2026-05-01T00:00:00Z",{{extra[1..]}}""";

        (await emulator.PostAsync("/v0/subscriptions", body)).ShouldBeValidationError(field);
    }

    [Fact]
    public async Task Entitlement_list_items_and_details_write_every_field_the_newer_spec_requires()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();
        await emulator.SubscribeAsync(customer, prefundUsd: null, plan: "plan_standard");

        var (_, list) = await emulator.GetAsync($"/v1/entitlements?customerId={customer}");
        var item = list["data"]![0]!.AsObject();
        var (_, detail) = await emulator.GetAsync("/v1/entitlements/" + (string)item["entitlementId"]!);

        foreach (var field in new[] { "customerId", "featureId", "subscriptionId", "activeTo", "metadata", "config", "pricingUnitId", "isSoftLimit", "currentPeriodStart" })
        {
            item.ContainsKey(field).Should().BeTrue(field);
            detail.AsObject().ContainsKey(field).Should().BeTrue(field);
        }

        item["activeTo"].Should().BeNull();
        item["config"].Should().BeNull();
        item["pricingUnitId"].Should().BeNull();
        ((string)detail["productId"]!).Should().Be("prod_codeexec");
    }

    [Fact]
    public async Task A_boolean_entitlement_has_no_metered_fields()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();
        await emulator.SubscribeAsync(customer, prefundUsd: null, plan: "plan_standard");
        var features = (await emulator.GetAsync($"/v1/entitlements?customerId={customer}")).Body["data"]!.AsArray();

        foreach (var item in features.Where(f => (string)f!["featureType"]! != "metered"))
        {
            item!.AsObject().ContainsKey("balance").Should().BeFalse();
            item.AsObject().ContainsKey("pricingUnitId").Should().BeFalse("the newer spec's non-metered variants are strict");
        }
    }

    [Fact]
    public async Task Entitlements_are_listed_by_the_merchants_own_customer_id()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync(externalId: "acme-42");
        await emulator.SubscribeAsync(customer, prefundUsd: null, plan: "plan_standard");

        var (status, list) = await emulator.GetAsync("/v1/entitlements?externalCustomerId=acme-42&merchantId=org_demo");
        var both = await emulator.GetAsync($"/v1/entitlements?externalCustomerId=acme-42&customerId={customer}");
        var neither = await emulator.GetAsync("/v1/entitlements");
        var otherMerchant = await emulator.GetAsync("/v1/entitlements?externalCustomerId=acme-42&merchantId=org_other");

        status.Should().Be(HttpStatusCode.OK);
        ((string)list["data"]![0]!["customerId"]!).Should().Be(customer);
        both.ShouldBeValidationError("customerId");
        neither.ShouldBeValidationError("customerId");
        otherMerchant.ShouldBeError(HttpStatusCode.BadRequest, "CUSTOMER_NOT_FOUND");
    }

    [Fact]
    public async Task An_event_may_name_its_customer_by_external_subject()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync(externalId: "acme-7");
        await emulator.SubscribeAsync(customer, prefundUsd: null, plan: "plan_standard");

        var (status, resolved) = await emulator.PostAsync("/v0/events", new { type = "code.submission", source = "https://t", externalSubject = "acme-7", externalId = "run-1", data = new { } });
        var (_, unresolved) = await emulator.PostAsync("/v0/events", new { type = "code.submission", source = "https://t", externalSubject = "nobody", data = new { } });
        var neither = await emulator.PostAsync("/v0/events", new { type = "code.submission", source = "https://t", data = new { } });
        var badExternal = await emulator.PostAsync("/v0/events", new { type = "code.submission", source = "https://t", externalSubject = "a b", data = new { } });
        var (_, list) = await emulator.GetAsync($"/v1/entitlements?customerId={customer}");

        status.Should().Be(HttpStatusCode.Accepted);
        ((string)resolved["subject"]!).Should().Be(customer);
        ((string)resolved["externalSubject"]!).Should().Be("acme-7");
        ((string)resolved["externalId"]!).Should().Be("run-1");
        unresolved.AsObject().ContainsKey("subject").Should().BeFalse("an unresolved external subject leaves subject out");
        neither.ShouldBeValidationError("subject");
        badExternal.ShouldBeValidationError("externalSubject");
        ((decimal)list["data"]![0]!["usageInPeriod"]!).Should().Be(1, "the resolved event drew the allowance down");
    }
}
