using System.Net;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Tests.Support;

namespace Paygentic.Sdk.Tests.Wire;

public class SubscriptionsWireTests
{
    internal const string Base = """
        "id":"sub_1","object":"subscription","status":"pending_payment","name":"Pro","planId":"plan_legacy","customerId":"cus_1",
        "createdAt":"2026-11-27T10:00:00Z","updatedAt":"2026-11-27T10:00:00Z","startedAt":"2026-11-27T10:00:00Z","prefundAmount":"200000000000"
        """;

    private static string With(string payment) => "{" + Base + ",\"payment\":" + payment + "}";

    [Fact]
    public async Task Create_sends_dollar_prefund_as_a_string_and_reads_a_pending_checkout()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/subscriptions", HttpStatusCode.Created, With("""
            {"status":"pending","amount":"200.00","checkoutUrl":"https://pay.example/cs_1","paymentSessionId":"cs_1","breakdown":{"upfrontCharges":"0.00","walletCharge":"200.00"}}
            """));

        var result = await h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "Pro", PlanId = "plan_legacy", CustomerId = "cus_1", PrefundAmount = 200.00m });

        result.Created.Should().BeTrue();
        result.Subscription.Status.Should().Be(SubscriptionStatus.PendingPayment);
        result.Subscription.PrefundAmount.Should().Be(new Nanodollars(200_000_000_000));
        var pending = result.Subscription.Payment.Should().BeOfType<PendingSubscriptionPayment>().Subject;
        pending.CheckoutUrl.Should().Be(new Uri("https://pay.example/cs_1"));
        pending.Amount.Should().Be(200.00m);
        pending.Breakdown!.WalletCharge.Should().Be(200m);
        h.Single().ShouldHaveJson("""{"name":"Pro","planId":"plan_legacy","customerId":"cus_1","prefundAmount":"200","startedAt":"2026-11-27T10:00:00+00:00"}""");
    }

    [Theory]
    [InlineData("""{"status":"paid","invoiceId":"inv_1","amount":"0"}""", typeof(PaidSubscriptionPayment))]
    [InlineData("""{"status":"awaiting_approval","invoiceId":"inv_1","amount":"12.50"}""", typeof(AwaitingApprovalSubscriptionPayment))]
    [InlineData("""{"status":"refunding_soon","amount":"1.00","extra":true}""", typeof(UnknownSubscriptionPayment))]
    public async Task Create_reads_every_payment_variant_and_keeps_unknown_ones(string payment, Type expected)
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/subscriptions", HttpStatusCode.OK, With(payment));

        var result = await h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "Pro", PlanId = "plan_legacy", CustomerId = "cus_1" });

        result.Created.Should().BeFalse();
        result.Subscription.Payment.Should().BeOfType(expected);
        if (result.Subscription.Payment is UnknownSubscriptionPayment unknown)
        {
            unknown.Status.Should().Be("refunding_soon");
            unknown.Raw.GetProperty("extra").GetBoolean().Should().BeTrue();
        }
    }

    [Fact]
    public async Task Unknown_status_values_are_tolerated()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Get, "/v0/subscriptions/sub_1", HttpStatusCode.OK, "{" + Base.Replace("pending_payment", "paused", StringComparison.Ordinal) + "}");

        var subscription = await h.Client.Subscriptions.GetAsync("sub_1");

        subscription.Status.Value.Should().Be("paused");
        subscription.Status.Should().NotBe(SubscriptionStatus.Active);
    }

    [Fact]
    public async Task List_sends_limit_and_offset_as_the_spec_declares_and_filters()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/subscriptions").Respond("application/json", "{\"data\":[{" + Base + "}],\"pagination\":{\"limit\":10,\"offset\":0,\"total\":1}}");

        var page = await h.Client.Subscriptions.ListPageAsync(new SubscriptionListOptions { Limit = 10, CustomerId = "cus_1", Status = SubscriptionStatus.Active });

        h.Single().PathAndQuery.Should().Be("/v0/subscriptions?limit=10&offset=0&customerId=cus_1&status=active");
        page.Data.Single().Id.Should().Be("sub_1");
    }

    [Fact]
    public async Task Terminate_posts_the_reason()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/subscriptions/sub_1/termination", HttpStatusCode.OK, "{" + Base.Replace("pending_payment", "terminated", StringComparison.Ordinal) + ",\"terminationReason\":\"customer left\"}");

        var subscription = await h.Client.Subscriptions.TerminateAsync("sub_1", "customer left");

        h.Single().ShouldHaveJson("""{"reason":"customer left"}""");
        subscription.Status.Should().Be(SubscriptionStatus.Terminated);
        subscription.TerminationReason.Should().Be("customer left");
    }

    [Theory]
    [InlineData(null, "{}")]
    [InlineData(600, """{"expiresIn":"PT10M"}""")]
    [InlineData(604800, """{"expiresIn":"P7D"}""")]
    public async Task Portal_link_sends_an_iso_duration(int? seconds, string expectedBody)
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/subscriptions/sub_1/portal", HttpStatusCode.OK, """{"object":"subscriptionPortal","url":"https://portal.example/p/abc","expiresAt":"2026-11-27T10:10:00Z"}""");

        var portal = await h.Client.Subscriptions.CreatePortalLinkAsync("sub_1", seconds is { } s ? TimeSpan.FromSeconds(s) : null);

        h.Single().ShouldHaveJson(expectedBody);
        portal.Url.Should().Be(new Uri("https://portal.example/p/abc"));
        portal.ExpiresAt.Should().Be(new DateTimeOffset(2026, 11, 27, 10, 10, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Portal_rate_limit_surfaces_the_retry_after_delay()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/subscriptions/sub_1/portal", HttpStatusCode.TooManyRequests, """{"message":"Too many portal requests","error":"rate_limited"}""", ("Retry-After", "1"));

        var act = () => h.Client.Subscriptions.CreatePortalLinkAsync("sub_1");

        var ex = (await act.Should().ThrowAsync<PaygenticRateLimitException>()).Which;
        ex.RetryAfter.Should().Be(TimeSpan.FromSeconds(1));
        h.Requests.Should().ContainSingle("a portal link is not retried without opt-in");
    }
}
