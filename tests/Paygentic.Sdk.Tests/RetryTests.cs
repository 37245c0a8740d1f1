using System.Net;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Tests.Wire;

namespace Paygentic.Sdk.Tests;

public class RetryTests
{
    private static HttpResponseMessage Status(HttpStatusCode code, params (string, string)[] headers) => Harness.Response(code, """{"message":"transient"}""", headers);

    private static HttpResponseMessage Created() => Harness.Response(HttpStatusCode.Created, UsageWireTests.EventBody);

    [Fact]
    public async Task Usage_503_then_201_is_retried_once_with_the_same_key_and_body()
    {
        using var h = new Harness();
        h.RespondInSequence(HttpMethod.Post, "/v0/usage", () => Status(HttpStatusCode.ServiceUnavailable), Created);

        var usage = await h.RunAsync(h.Client.Usage.CreateAsync(UsageWireTests.Report()));

        usage.Id.Should().Be("usg_1");
        h.Requests.Should().HaveCount(2);
        h.Requests[1].Body.Should().Be(h.Requests[0].Body);
        ((string)h.Requests[1].Json["idempotencyKey"]!).Should().Be("op-1:usage");
        h.Requests.Should().AllSatisfy(r => r.UserAgent.Should().MatchRegex(@"^Paygentic\.Sdk\.DotNet/\d+\.\d+\.\d+$", "each attempt carries the SDK's product token once"));
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task Usage_is_retried_on_every_transient_status(HttpStatusCode status)
    {
        using var h = new Harness();
        h.RespondInSequence(HttpMethod.Post, "/v0/usage", () => Status(status), Created);

        await h.RunAsync(h.Client.Usage.CreateAsync(UsageWireTests.Report()));

        h.Requests.Should().HaveCount(2);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task Permanent_statuses_are_never_retried(HttpStatusCode status)
    {
        using var h = new Harness();
        h.RespondInSequence(HttpMethod.Post, "/v0/usage", () => Status(status), Created);

        var act = () => h.RunAsync(h.Client.Usage.CreateAsync(UsageWireTests.Report()));

        await act.Should().ThrowAsync<PaygenticApiException>();
        h.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Subscription_create_is_not_retried_on_503()
    {
        using var h = new Harness();
        h.RespondInSequence(HttpMethod.Post, "/v0/subscriptions", () => Status(HttpStatusCode.ServiceUnavailable), () => Harness.Response(HttpStatusCode.Created, "{" + SubscriptionsWireTests.Base + "}"));

        var act = () => h.RunAsync(h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "Pro", PlanId = "plan_legacy", CustomerId = "cus_1" }));

        await act.Should().ThrowAsync<PaygenticServerException>();
        h.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Subscription_create_is_retried_when_the_caller_opts_in()
    {
        using var h = new Harness(o => o.Retry.RetryNonIdempotentRequests = true);
        h.RespondInSequence(HttpMethod.Post, "/v0/subscriptions", () => Status(HttpStatusCode.ServiceUnavailable), () => Harness.Response(HttpStatusCode.Created, "{" + SubscriptionsWireTests.Base + "}"));

        var result = await h.RunAsync(h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "Pro", PlanId = "plan_legacy", CustomerId = "cus_1" }));

        result.Created.Should().BeTrue();
        h.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Retry_after_2_seconds_is_honoured_in_fake_time()
    {
        using var h = new Harness();
        h.RespondInSequence(HttpMethod.Post, "/v0/usage", () => Status(HttpStatusCode.TooManyRequests, ("Retry-After", "2")), Created);

        var usage = await h.RunAsync(h.Client.Usage.CreateAsync(UsageWireTests.Report()), step: TimeSpan.FromMilliseconds(50));

        usage.Id.Should().Be("usg_1");
        h.Requests.Should().HaveCount(2);
        (h.Requests[1].At - h.Requests[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2), "the retry waits the full delay the server asked for (the backoff alone is 100 ms)");
    }

    [Fact]
    public async Task A_retry_after_beyond_the_cap_is_capped()
    {
        using var h = new Harness(o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(1));
        h.RespondInSequence(HttpMethod.Post, "/v0/usage", () => Status(HttpStatusCode.TooManyRequests, ("Retry-After", "3600")), Created);

        var usage = await h.RunAsync(h.Client.Usage.CreateAsync(UsageWireTests.Report()), step: TimeSpan.FromMilliseconds(50));

        usage.Id.Should().Be("usg_1");
        (h.Requests[1].At - h.Requests[0].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThan(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Reservation_is_retried_on_429_and_503_only()
    {
        using var h = new Harness();
        h.RespondInSequence(HttpMethod.Post, "/v0/entitlements", () => Status(HttpStatusCode.TooManyRequests), () => Status(HttpStatusCode.ServiceUnavailable), () => Status(HttpStatusCode.InternalServerError));

        var act = () => h.RunAsync(h.Client.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = "cus_1", Items = [new ReservationItem { BillableMetricId = "bm_basicsub", Quantity = 1 }] }));

        await act.Should().ThrowAsync<PaygenticServerException>();
        h.Requests.Should().HaveCount(3, "429 and 503 mean 'not processed'; a 500 might have held funds, so it ends the call");
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_maximum()
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 2);
        h.RespondInSequence(HttpMethod.Post, "/v0/usage", () => Status(HttpStatusCode.BadGateway));

        var act = () => h.RunAsync(h.Client.Usage.CreateAsync(UsageWireTests.Report()));

        await act.Should().ThrowAsync<PaygenticServerException>();
        h.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task Customer_create_is_retried_because_it_is_idempotent_per_email()
    {
        using var h = new Harness();
        h.RespondInSequence(HttpMethod.Post, "/v0/customers", () => Status(HttpStatusCode.BadGateway), () => Harness.Response(HttpStatusCode.OK, """{"customerId":"cus_1","validTaxAddress":{"valid":true}}"""));

        var result = await h.RunAsync(h.Client.Customers.CreateAsync(new CreateCustomerRequest { ConsumerId = "org_c" }));

        result.Created.Should().BeFalse();
        h.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_transport_failure_on_usage_is_retried()
    {
        using var h = new Harness();
        var calls = 0;
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage").Respond(_ => Interlocked.Increment(ref calls) == 1 ? throw new HttpRequestException("connection reset") : Created());

        await h.RunAsync(h.Client.Usage.CreateAsync(UsageWireTests.Report()));

        calls.Should().Be(2);
    }

    [Fact]
    public async Task A_transport_failure_after_sending_a_subscription_create_is_not_retried()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/subscriptions").Respond(_ => throw new HttpRequestException("connection reset", null, HttpStatusCode.InternalServerError));

        var act = () => h.RunAsync(h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "Pro", PlanId = "plan_legacy", CustomerId = "cus_1" }));

        (await act.Should().ThrowAsync<PaygenticTransportException>()).Which.InnerException.Should().BeOfType<HttpRequestException>();
        h.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_connection_that_never_opened_is_retried_even_for_subscription_create()
    {
        using var h = new Harness();
        var calls = 0;
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/subscriptions").Respond(_ => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused")
            : Harness.Response(HttpStatusCode.Created, "{" + SubscriptionsWireTests.Base + "}"));

        await h.RunAsync(h.Client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "Pro", PlanId = "plan_legacy", CustomerId = "cus_1" }));

        calls.Should().Be(2);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_never_retried()
    {
        using var h = new Harness();
        using var cts = new CancellationTokenSource();
        var calls = 0;
        h.Script = async (_, ct) =>
        {
            Interlocked.Increment(ref calls);
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
            return Created();
        };

        var act = () => h.Client.Usage.CreateAsync(UsageWireTests.Report(), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        calls.Should().Be(1);
    }

    [Fact]
    public async Task A_hung_attempt_times_out_and_is_retried()
    {
        using var h = new Harness(o => o.AttemptTimeout = TimeSpan.FromSeconds(2));
        var calls = 0;
        h.Script = async (_, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return Created();
        };

        var usage = await h.RunAsync(h.Client.Usage.CreateAsync(UsageWireTests.Report()));

        usage.Id.Should().Be("usg_1");
        calls.Should().Be(2);
    }

    [Fact]
    public async Task When_every_attempt_hangs_the_total_timeout_gives_a_timeout_exception()
    {
        using var h = new Harness(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(8);
        });
        h.Script = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return Created();
        };

        var act = () => h.RunAsync(h.Client.Customers.GetAsync("cus_1"));

        (await act.Should().ThrowAsync<PaygenticTimeoutException>()).Which.Message.Should().Contain("timed out");
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_refuses_without_sending()
    {
        using var h = new Harness(o =>
        {
            o.Retry.MaxRetries = 0;
            o.Retry.CircuitBreakerMinimumThroughput = 4;
            o.Retry.CircuitBreakerFailureRatio = 0.5;
        });
        h.Respond(HttpMethod.Get, "/v0/customers/cus_1", HttpStatusCode.ServiceUnavailable, """{"message":"down"}""");

        for (var i = 0; i < 4; i++)
        {
            var failing = () => h.Client.Customers.GetAsync("cus_1");
            await failing.Should().ThrowAsync<PaygenticServerException>();
        }

        var act = () => h.Client.Customers.GetAsync("cus_1");

        await act.Should().ThrowAsync<PaygenticCircuitOpenException>();
        h.Requests.Should().HaveCount(4);
    }
}
