using System.Net;
using System.Text.Json.Nodes;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Tests.Support;

namespace Paygentic.Sdk.Tests.Wire;

/// <summary>
/// The operations both API descriptions share: the models read the 2026-04-18 and the 2026-08-06 bodies, and the
/// requests can carry what the newer one adds.
/// </summary>
public class NewerApiShapeTests
{
    private const string OlderSubscription = """
        {"id":"sub_1","object":"subscription","name":"Pro","customerId":"cus_1","planId":"plan_1","status":"active",
         "startedAt":"2026-11-01T00:00:00Z","createdAt":"2026-11-01T00:00:00Z","updatedAt":"2026-11-01T00:00:00Z","walletId":"acc_1"}
        """;

    private const string NewerSubscription = """
        {"id":"sub_1","object":"subscription","merchantId":"org_demo","name":"Pro","customerId":"cus_1","planId":"plan_1","status":"active",
         "planVersionId":"pver_1","versionNumber":2,"paymentTermDays":30,"metadata":{"team":"core","seats":3,"trial":false},"autoApprove":null,
         "startedAt":"2026-11-01T00:00:00.000Z","createdAt":"2026-11-30T00:29:23.699Z","updatedAt":"2026-11-30T00:29:23.699Z"}
        """;

    [Fact]
    public async Task A_subscription_is_read_in_both_shapes()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Get, "/v0/subscriptions/sub_old", HttpStatusCode.OK, OlderSubscription);
        h.Respond(HttpMethod.Get, "/v0/subscriptions/sub_new", HttpStatusCode.OK, NewerSubscription);

        var older = await h.Client.Subscriptions.GetAsync("sub_old");
        var newer = await h.Client.Subscriptions.GetAsync("sub_new");

        older.MerchantId.Should().BeNull();
        older.PaymentTermDays.Should().BeNull();
        older.WalletId.Should().Be("acc_1");
        newer.MerchantId.Should().Be("org_demo");
        newer.PaymentTermDays.Should().Be(30);
        newer.PlanVersionId.Should().Be("pver_1");
        newer.VersionNumber.Should().Be(2);
        newer.Metadata!.ToJsonString().Should().Be("""{"team":"core","seats":3,"trial":false}""");
        newer.Payment.Should().BeNull();
        newer.CreatedAt.Should().Be(new DateTimeOffset(2026, 11, 30, 0, 29, 23, 699, TimeSpan.Zero));
    }

    [Fact]
    public async Task Subscription_create_sends_the_payment_term_and_metadata()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/subscriptions", HttpStatusCode.Created, NewerSubscription);

        await h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest
        {
            Name = "Pro",
            PlanId = "plan_1",
            CustomerId = "cus_1",
            StartedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            PaymentTermDays = 30,
            Metadata = new JsonObject { ["team"] = "core", ["seats"] = 3, ["trial"] = false },
        });

        h.Single().ShouldHaveJson("""
            {"name":"Pro","planId":"plan_1","customerId":"cus_1","startedAt":"2026-11-01T00:00:00+00:00",
             "paymentTermDays":30,"metadata":{"team":"core","seats":3,"trial":false}}
            """);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(366)]
    public async Task A_payment_term_outside_0_to_365_is_refused_before_sending(int days)
    {
        using var h = new Harness();

        var act = () => h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "n", PlanId = "plan_1", CustomerId = "cus_1", PaymentTermDays = days });

        (await act.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.Message.Should().Contain("PaymentTermDays");
        h.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Metadata_values_other_than_strings_numbers_and_booleans_are_refused_before_sending()
    {
        using var h = new Harness();

        var act = () => h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "n", PlanId = "plan_1", CustomerId = "cus_1", Metadata = new JsonObject { ["nested"] = new JsonObject() } });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("Metadata[\"nested\"]");
        h.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_duplicate_subscription_refused_with_409_is_a_conflict()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/subscriptions", HttpStatusCode.Conflict, """{"message":"Subscription already exists","error":"conflict","code":"SUBSCRIPTION_EXISTS"}""");

        var act = () => h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "n", PlanId = "plan_1", CustomerId = "cus_1" });

        (await act.Should().ThrowAsync<PaygenticConflictException>()).Which.Code.Should().Be("SUBSCRIPTION_EXISTS");
    }

    [Fact]
    public async Task Access_is_listed_by_external_customer_id_and_read_in_the_strict_newer_shape()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v1/entitlements").Respond("application/json", """
            {"object":"list","data":[{"entitlementId":"ent_1","customerId":"cus_1","featureId":"feat_1","featureKey":"submissions","featureType":"metered",
              "productId":"prod_1","subscriptionId":null,"status":"active","activeFrom":"2026-11-01T00:00:00.000Z","activeTo":null,"hasAccess":true,
              "metadata":{},"config":null,"isSoftLimit":true,"balance":7,"usageInPeriod":3,"overage":0,"pricingUnitId":null,
              "currentPeriodStart":"2026-11-01T00:00:00.000Z","currentPeriodEnd":"2026-12-01T00:00:00.000Z"}],
             "pagination":{"limit":100,"offset":0,"total":1}}
            """);

        var page = await h.Client.Entitlements.ListAccessPageAsync(new EntitlementAccessQuery { ExternalCustomerId = "acme-42", MerchantId = "org_demo" });

        h.Single().PathAndQuery.Should().Be("/v1/entitlements?externalCustomerId=acme-42&merchantId=org_demo&limit=100&offset=0");
        var access = page.Data.Single();
        access.CustomerId.Should().Be("cus_1");
        access.SubscriptionId.Should().BeNull();
        access.ActiveTo.Should().BeNull();
        access.PricingUnitId.Should().BeNull();
        access.Metadata.Should().BeEmpty();
        access.IsSoftLimit.Should().BeTrue();
        access.Balance.Should().Be(7m);
    }

    [Theory]
    [InlineData("cus_1", "acme-42")]
    [InlineData(null, null)]
    [InlineData(" ", null)]
    public async Task Access_needs_exactly_one_customer_id(string? customerId, string? externalCustomerId)
    {
        using var h = new Harness();

        var act = () => h.Client.Entitlements.ListAccessPageAsync(new EntitlementAccessQuery { CustomerId = customerId, ExternalCustomerId = externalCustomerId });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("exactly one of query.CustomerId and query.ExternalCustomerId");
        h.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task An_entitlement_detail_is_read_with_its_product_and_pricing_unit()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v1/entitlements/ent_1").Respond("application/json", """
            {"object":"entitlement","id":"ent_1","customerId":"cus_1","featureId":"feat_1","featureKey":"credits","featureType":"metered","productId":"prod_1",
             "subscriptionId":"sub_1","status":"active","activeFrom":"2026-11-01T00:00:00.000Z","activeTo":null,"hasAccess":true,"metadata":{"k":"v"},
             "config":null,"isSoftLimit":false,"balance":50,"usageInPeriod":50,"overage":0,"pricingUnitId":"pu_1",
             "currentPeriodStart":null,"currentPeriodEnd":null}
            """);

        var detail = await h.Client.Entitlements.GetAsync("ent_1");

        detail.ProductId.Should().Be("prod_1");
        detail.PricingUnitId.Should().Be("pu_1");
        detail.Config.Should().BeNull();
        detail.CurrentPeriodStart.Should().BeNull();
        detail.Metadata.Should().ContainKey("k");
    }

    [Fact]
    public async Task An_event_may_name_its_customer_by_external_subject_alone()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/events", HttpStatusCode.Accepted, """{"id":"evt_1","object":"event","type":"code.submission","source":"s","externalSubject":"acme-42","externalId":"run-1","namespace":"org_demo","timestamp":"2026-11-27T10:00:00.000Z","idempotencyKey":"k1"}""");

        var receipt = await h.Client.Events.IngestAsync(new MeterEvent { Type = "code.submission", Source = "s", ExternalSubject = "acme-42", ExternalId = "run-1", Data = [], IdempotencyKey = "k1" });

        var sent = h.Single().Json.AsObject();
        sent.ContainsKey("subject").Should().BeFalse();
        ((string)sent["externalSubject"]!).Should().Be("acme-42");
        ((string)sent["externalId"]!).Should().Be("run-1");
        receipt.Subject.Should().BeNull("the customer is not resolved yet");
        receipt.ExternalSubject.Should().Be("acme-42");
        receipt.ExternalId.Should().Be("run-1");
    }

    [Theory]
    [InlineData(null, null, "Give meterEvent.Subject")]
    [InlineData("  ", null, "Give meterEvent.Subject")]
    [InlineData(null, "acme 42", "meterEvent.ExternalSubject must be")]
    [InlineData("cus_1", "", "meterEvent.ExternalSubject must be")]
    public async Task An_event_without_a_usable_customer_is_refused_before_sending(string? subject, string? externalSubject, string message)
    {
        using var h = new Harness();

        var act = () => h.Client.Events.IngestAsync(new MeterEvent { Type = "t", Source = "s", Subject = subject, ExternalSubject = externalSubject, Data = [] });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(message);
        h.Requests.Should().BeEmpty();
    }
}
