using System.Net;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Tests.Support;

namespace Paygentic.Sdk.Tests.Wire;

public class EntitlementsWireTests
{
    private const string ReservationBody = """
        {"id":"com_r1","object":"entitlement","billableMetrics":[{"billableMetricId":"bm_basicsub","price":"0.01","quantity":100}],
         "customerId":"cus_1","merchantId":"org_demo","createdAt":"2026-11-27T10:00:00Z","expiresAt":"2026-11-27T11:00:00Z",
         "maxUses":100,"usedCount":0,"region":"global","remainingBalance":"1000000000"}
        """;

    [Fact]
    public async Task Reservation_posts_entitlement_data_with_decimal_prices_as_strings()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/entitlements", HttpStatusCode.Created, ReservationBody);

        var reservation = await h.Client.Entitlements.CreateReservationAsync(new CreateReservationRequest
        {
            CustomerId = "cus_1",
            Items = [new ReservationItem { BillableMetricId = "bm_basicsub", Quantity = 100 }, new ReservationItem { BillableMetricId = "bm_exectime", Quantity = 2.5m, Price = 0.000010000m }],
            MaxUses = 100,
        });

        h.Single().ShouldHaveJson("""
            {"customerId":"cus_1","merchantId":"org_demo","maxUses":100,
             "entitlementData":[{"billableMetricId":"bm_basicsub","quantity":100},{"billableMetricId":"bm_exectime","quantity":2.5,"price":"0.00001"}]}
            """);
        reservation.Id.Should().Be("com_r1");
        reservation.RemainingBalance.Should().Be(new Nanodollars(1_000_000_000));
        reservation.RemainingBalance!.Value.ToUsd().Should().Be(1m);
        reservation.BillableMetrics!.Single().Price.Should().Be(0.01m);
        reservation.ExpiresAt.Should().Be(new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Reservation_accepts_ent_prefixed_ids_too()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/entitlements", HttpStatusCode.Created, ReservationBody.Replace("com_r1", "ent_r1", StringComparison.Ordinal));

        var reservation = await h.Client.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = "cus_1", Items = [new ReservationItem { BillableMetricId = "bm_basicsub", Quantity = 1 }] });

        reservation.Id.Should().Be("ent_r1");
    }

    [Fact]
    public async Task Insufficient_funds_is_a_bad_request_with_its_code()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/entitlements", HttpStatusCode.BadRequest, """{"message":"Insufficient funds","error":"bad_request","code":"INSUFFICIENT_FUNDS"}""");

        var act = () => h.Client.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = "cus_1", Items = [new ReservationItem { BillableMetricId = "bm_basicsub", Quantity = 1 }] });

        (await act.Should().ThrowAsync<PaygenticBadRequestException>()).Which.Code.Should().Be("INSUFFICIENT_FUNDS");
    }

    [Fact]
    public async Task Active_entitlements_are_listed_for_a_customer()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/entitlements/activeEntitlements").Respond("application/json", """
            {"object":"list","data":[{"id":"ent_a","object":"entitlement","billableMetrics":["bm_basicsub","bm_exectime"],"customerId":"cus_1","planId":"plan_legacy","productId":"prod_codeexec","subscriptionId":"sub_1","verifiedAt":"2026-11-27T10:00:00Z"}],"pagination":{"offset":0,"limit":1,"total":1}}
            """);

        var active = await h.Client.Entitlements.ListActiveAsync("cus_1", productId: "prod_codeexec");

        h.Single().PathAndQuery.Should().Be("/v0/entitlements/activeEntitlements?customerId=cus_1&productId=prod_codeexec");
        active.Single().BillableMetrics.Should().Equal("bm_basicsub", "bm_exectime");
    }

    [Fact]
    public async Task Access_list_sends_the_guard_query_and_reads_metered_balances()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v1/entitlements").Respond("application/json", """
            {"object":"list","data":[{"entitlementId":"ent_1","hasAccess":true,"featureKey":"submissions","featureType":"metered","productId":"prod_codeexec",
              "activeFrom":"2026-11-01T00:00:00Z","status":"active","balance":997,"usageInPeriod":3,"overage":0}],"pagination":{"limit":100,"offset":0,"total":1}}
            """);

        var page = await h.Client.Entitlements.ListAccessPageAsync(new EntitlementAccessQuery { CustomerId = "cus_1", FeatureKey = "submissions", ProductId = "prod_codeexec", At = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero) });

        h.Single().PathAndQuery.Should().Be("/v1/entitlements?customerId=cus_1&featureKey=submissions&productId=prod_codeexec&limit=100&offset=0&at=2026-11-27T10%3A00%3A00.0000000%2B00%3A00");
        var access = page.Data.Single();
        access.HasAccess.Should().BeTrue();
        access.FeatureType.Should().Be(FeatureType.Metered);
        access.Balance.Should().Be(997m);
        access.Status.Should().Be(EntitlementStatus.Active);
    }

    [Fact]
    public async Task Get_reads_the_featureType_union()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v1/entitlements/ent_1").Respond("application/json", """
            {"object":"entitlement","id":"ent_1","customerId":"cus_1","featureId":"feat_submissions","featureKey":"submissions","featureType":"metered",
             "status":"active","activeFrom":"2026-11-01T00:00:00Z","hasAccess":false,"isSoftLimit":false,"balance":0,"usageInPeriod":1000,"overage":0,
             "currentPeriodStart":null,"currentPeriodEnd":null}
            """);

        var detail = await h.Client.Entitlements.GetAsync("ent_1");

        h.Single().PathAndQuery.Should().Be("/v1/entitlements/ent_1");
        detail.HasAccess.Should().BeFalse();
        detail.Balance.Should().Be(0m);
        detail.UsageInPeriod.Should().Be(1000m);
        detail.CurrentPeriodStart.Should().BeNull();
    }

    [Theory]
    [InlineData("""{"object":"entitlement","id":"ent_9","customerId":"cus_1","featureId":"feat_submissions","status":"active","activeFrom":"2026-11-27T10:00:00Z","config":null}""", null)]
    [InlineData("""{"object":"entitlement","id":"ent_9","customerId":"cus_1","featureId":"feat_submissions","featureKey":"submissions","featureType":"metered","status":"active","activeFrom":"2026-11-27T10:00:00Z","hasAccess":true,"isSoftLimit":false,"balance":10,"usageInPeriod":0,"overage":0}""", true)]
    public async Task Issue_accepts_both_the_flat_and_the_union_answer(string body, bool? hasAccess)
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v1/entitlements", HttpStatusCode.Created, body);

        var issued = await h.Client.Entitlements.IssueAsync(new IssueEntitlementRequest { CustomerId = "cus_1", FeatureId = "feat_submissions", Template = EntitlementTemplate.ForMetered("P1M", issueAfterReset: 10) });

        issued.Id.Should().Be("ent_9");
        issued.HasAccess.Should().Be(hasAccess);
        h.Single().ShouldHaveJson("""{"customerId":"cus_1","featureId":"feat_submissions","template":{"type":"metered","usagePeriod":{"interval":"P1M"},"issueAfterReset":10}}""");
    }

    [Fact]
    public async Task Issue_when_already_entitled_is_a_conflict()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v1/entitlements", HttpStatusCode.Conflict, """{"message":"Customer already entitled","error":"conflict"}""");

        var act = () => h.Client.Entitlements.IssueAsync(new IssueEntitlementRequest { CustomerId = "cus_1", FeatureId = "feat_x", Template = EntitlementTemplate.ForBoolean() });

        await act.Should().ThrowAsync<PaygenticConflictException>();
    }
}
