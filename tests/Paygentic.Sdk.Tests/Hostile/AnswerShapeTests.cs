using System.Net;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Tests.Wire;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Tests.Hostile;

/// <summary>
/// A success status is not enough: an answer lacking what the API always sends (an id, the batch's arrays) must not
/// make a report that never reached Paygentic look delivered. And no error text, however the server built it, carries
/// the key.
/// </summary>
public class AnswerShapeTests
{
    private const string EventWithoutId = """{"object":"usageEvent","customerId":"cus_1","merchantId":"org_demo","properties":[{"billableMetricId":"bm_basicsub","quantity":1}]}""";

    private static readonly IReadOnlyList<UsageReport> TwoReports = [UsageWireTests.Report("k-0"), UsageWireTests.Report("k-1")];

    [Fact]
    public async Task A_201_usage_event_without_an_id_from_a_real_server_is_an_invalid_response()
    {
        await using var server = new HostileServer(x => x.RespondAsync(201, "application/json", EventWithoutId));
        using var c = new LoopbackClient(server);

        var act = () => c.Client.Usage.CreateAsync(UsageWireTests.Report());

        var ex = (await act.Should().ThrowAsync<PaygenticInvalidResponseException>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.Created);
        ex.RawBody.Should().Be(EventWithoutId);
        server.Requests.Should().Be(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_201_batch_answer_without_its_successful_array_from_a_real_server_is_an_invalid_response(bool keepEvents)
    {
        await using var server = new HostileServer(x => x.RespondAsync(201, "application/json", """{"object":"batchUsageEvents","failed":[]}"""));
        using var c = new LoopbackClient(server);

        var act = () => ((UsageClient)c.Client.Usage).CreateBatchAsync(TwoReports, keepEvents, CancellationToken.None);

        (await act.Should().ThrowAsync<PaygenticInvalidResponseException>()).Which.Message.Should().Contain("successful");
    }

    [Theory]
    [InlineData("""{"object":"usageEvent"}""")]
    [InlineData("""{"id":null,"object":"usageEvent"}""")]
    [InlineData("""{"id":"  ","object":"usageEvent"}""")]
    [InlineData("""{"id":42,"object":"usageEvent"}""")]
    public async Task A_usage_event_without_a_usable_id_is_an_invalid_response(string body)
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/usage", HttpStatusCode.Created, body);

        var act = () => h.Client.Usage.CreateAsync(UsageWireTests.Report());

        await act.Should().ThrowAsync<PaygenticInvalidResponseException>();
        h.Requests.Should().ContainSingle("an answer that arrived is not asked for again");
    }

    [Theory]
    [InlineData(true, """{"object":"batchUsageEvents","successful":[]}""")]
    [InlineData(false, """{"object":"batchUsageEvents","successful":[]}""")]
    [InlineData(true, """{"object":"batchUsageEvents","successful":[],"failed":null}""")]
    [InlineData(false, """{"object":"batchUsageEvents","successful":[],"failed":null}""")]
    [InlineData(true, """{"object":"batchUsageEvents","successful":null,"failed":[]}""")]
    [InlineData(false, """{"object":"batchUsageEvents","successful":null,"failed":[]}""")]
    [InlineData(false, """{"object":"batchUsageEvents","successful":{},"failed":[]}""")]
    [InlineData(true, """{"object":"batchUsageEvents","successful":[{"object":"usageEvent"}],"failed":[]}""")]
    [InlineData(true, """{"object":"batchUsageEvents","successful":[],"failed":[{"idempotencyKey":"k-1","error":"Insufficient funds"}]}""")]
    [InlineData(false, """{"object":"batchUsageEvents","successful":[],"failed":[{"index":1,"idempotencyKey":"k-1"}]}""")]
    public async Task A_batch_answer_missing_a_required_part_is_an_invalid_response(bool keepEvents, string body)
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Respond(HttpMethod.Post, "/v0/usage/batch", HttpStatusCode.Created, body);

        var act = () => ((UsageClient)h.Client.Usage).CreateBatchAsync(TwoReports, keepEvents, CancellationToken.None);

        (await act.Should().ThrowAsync<PaygenticInvalidResponseException>()).Which.RawBody.Should().Be(body);
    }

    [Fact]
    public async Task Customer_subscription_and_reservation_answers_without_an_id_are_invalid_responses()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Get, "/v0/customers/cus_1", HttpStatusCode.OK, """{"object":"customer","merchantId":"org_demo"}""");
        h.Respond(HttpMethod.Post, "/v0/customers", HttpStatusCode.Created, """{"customerId":null,"validTaxAddress":{"valid":true}}""");
        h.Respond(HttpMethod.Get, "/v0/subscriptions/sub_1", HttpStatusCode.OK, """{"object":"subscription","status":"active"}""");
        h.Respond(HttpMethod.Post, "/v0/entitlements", HttpStatusCode.Created, """{"id":"","object":"entitlement"}""");
        h.Respond(HttpMethod.Get, "/v0/customers", HttpStatusCode.OK, """{"object":"list","pagination":{"limit":10,"offset":0,"total":0}}""");

        await FluentActions.Awaiting(() => h.Client.Customers.GetAsync("cus_1")).Should().ThrowAsync<PaygenticInvalidResponseException>();
        await FluentActions.Awaiting(() => h.Client.Customers.CreateAsync(new Customers.CreateCustomerRequest
        {
            Consumer = new Customers.NewConsumer { Name = "Ada", Email = "ada@example.com", Address = new Customers.Address { City = "Austin", State = "TX", Country = "US", ZipCode = "73301" } },
        })).Should().ThrowAsync<PaygenticInvalidResponseException>();
        await FluentActions.Awaiting(() => h.Client.Subscriptions.GetAsync("sub_1")).Should().ThrowAsync<PaygenticInvalidResponseException>();
        await FluentActions.Awaiting(() => h.Client.Entitlements.CreateReservationAsync(new CreateReservationRequest
        {
            CustomerId = "cus_1",
            Items = [new ReservationItem { BillableMetricId = "bm_basicsub", Quantity = 1 }],
        })).Should().ThrowAsync<PaygenticInvalidResponseException>();
        await FluentActions.Awaiting(() => h.Client.Customers.ListPageAsync(new Customers.CustomerListOptions())).Should().ThrowAsync<PaygenticInvalidResponseException>()
            .WithMessage("*data*");
    }

    [Fact]
    public async Task A_500_text_body_echoing_the_request_headers_carries_no_key_anywhere()
    {
        await using var server = new HostileServer(x => x.RespondAsync(500, "text/plain", "upstream failed; request was:\r\n" + x.RequestHead));
        using var c = new LoopbackClient(server, o => o.Retry.MaxRetries = 0);

        var act = () => c.Client.Usage.CreateAsync(UsageWireTests.Report());

        var ex = (await act.Should().ThrowAsync<PaygenticServerException>()).Which;
        ex.RawBody.Should().Contain("Authorization: Bearer [REDACTED]", "the echo is kept, the key is not");
        ex.Message.Should().Contain("not a JSON error (text/plain)");
        ex.Message.Should().NotContain(Harness.ApiKey);
        ex.ToString().Should().NotContain(Harness.ApiKey);
        foreach (var property in ex.GetType().GetProperties())
        {
            (property.GetValue(ex)?.ToString() ?? string.Empty).Should().NotContain(Harness.ApiKey, $"{property.Name} must not carry the key");
        }
    }

    [Theory]
    [InlineData("proxy: Authorization: Bearer eyJhbGciOi.JIUzI1Ni-_J9=", "eyJhbGciOi")]
    [InlineData("echo: authorization: basic dXNlcjpwYXNz", "dXNlcjpwYXNz")]
    public async Task Any_bearer_or_basic_credential_in_an_error_body_is_masked(string body, string secret)
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/customers/cus_1").Respond(HttpStatusCode.BadGateway, "text/plain", body);

        var act = () => h.Client.Customers.GetAsync("cus_1");

        var ex = (await act.Should().ThrowAsync<PaygenticServerException>()).Which;
        ex.Message.Should().NotContain(secret).And.Contain("[REDACTED]");
        ex.RawBody.Should().NotContain(secret);
    }

    [Fact]
    public async Task A_message_that_only_names_the_scheme_stays_readable()
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Respond(HttpMethod.Get, "/v0/customers/cus_1", HttpStatusCode.Unauthorized, """{"message":"Missing Bearer token","error":"unauthorized"}""");

        var act = () => h.Client.Customers.GetAsync("cus_1");

        (await act.Should().ThrowAsync<PaygenticAuthenticationException>()).Which.ApiMessage.Should().Be("Missing Bearer token");
    }
}
