using System.Net;
using System.Text.Json.Nodes;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Tests.Wire;

public class UsageWireTests
{
    internal const string EventBody = """
        {"id":"usg_1","object":"usageEvent","createdAt":"2026-11-27T10:00:01Z","customerId":"cus_1","merchantId":"org_demo","subscriptionId":"sub_1",
         "timestamp":"2026-11-27T10:00:00Z","idempotencyKey":"op-1:usage","entitlementId":"com_r1",
         "properties":[{"billableMetricId":"bm_basicsub","quantity":1},{"billableMetricId":"bm_exectime","quantity":250}],
         "billing":{"price":12500000,"totalAmount":12500000,"totalTax":0,"currency":"USD"},"metadata":{"language":"python"}}
        """;

    internal static UsageReport Report(string key = "op-1:usage") => new()
    {
        CustomerId = "cus_1",
        IdempotencyKey = key,
        EntitlementId = "com_r1",
        Timestamp = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
        Properties = [new UsageProperty { BillableMetricId = "bm_basicsub", Quantity = 1 }, new UsageProperty { BillableMetricId = "bm_exectime", Quantity = 250 }],
        Metadata = new Dictionary<string, string> { ["language"] = "python" },
    };

    [Fact]
    public async Task Create_posts_the_exact_report_and_reads_nanodollar_billing()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/usage", HttpStatusCode.Created, EventBody);

        var usage = await h.Client.Usage.CreateAsync(Report());

        h.Single().ShouldHaveJson("""
            {"customerId":"cus_1","merchantId":"org_demo","idempotencyKey":"op-1:usage","entitlementId":"com_r1","timestamp":"2026-11-27T10:00:00+00:00",
             "properties":[{"billableMetricId":"bm_basicsub","quantity":1},{"billableMetricId":"bm_exectime","quantity":250}],"metadata":{"language":"python"}}
            """);
        usage.Id.Should().Be("usg_1");
        usage.Billing!.TotalAmount.Should().Be(new Nanodollars(12_500_000));
        usage.Billing.TotalAmount!.Value.ToUsd().Should().Be(0.0125m);
        usage.Properties![1].Quantity.Should().Be(250);
    }

    [Fact]
    public async Task Without_a_key_the_sdk_derives_one_from_the_content_and_the_same_report_gets_the_same_key()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/usage", HttpStatusCode.Created, EventBody);

        await h.Client.Usage.CreateAsync(Report() with { IdempotencyKey = null });
        await h.Client.Usage.CreateAsync(Report() with { IdempotencyKey = null });
        await h.Client.Usage.CreateAsync(Report() with { IdempotencyKey = null, Properties = [new UsageProperty { BillableMetricId = "bm_basicsub", Quantity = 2 }] });

        var keys = h.Requests.Select(r => (string)r.Json["idempotencyKey"]!).ToList();
        keys[0].Should().StartWith("pgsdk_").And.HaveLength(46);
        keys[1].Should().Be(keys[0]);
        keys[2].Should().NotBe(keys[0]);
    }

    [Fact]
    public async Task Without_a_timestamp_the_current_time_is_sent()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/usage", HttpStatusCode.Created, EventBody);

        await h.Client.Usage.CreateAsync(Report() with { Timestamp = null });

        ((string)h.Single().Json["timestamp"]!).Should().Be("2026-11-27T10:00:00+00:00");
    }

    [Fact]
    public async Task Batch_of_1001_reports_is_sent_as_two_calls_and_failures_keep_their_input_index()
    {
        using var h = new Harness();
        var calls = 0;
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage/batch").Respond(request =>
        {
            var events = JsonNode.Parse(request.Content!.ReadAsStringAsync().Result)!["events"]!.AsArray();
            var second = Interlocked.Increment(ref calls) == 2;
            var body = second
                ? $$$"""{"object":"batchUsageEvents","successful":[],"failed":[{"index":0,"idempotencyKey":"k-1000","error":"Insufficient funds"}],"summary":{"total":1,"successful":0,"failed":1}}"""
                : $$$"""{"object":"batchUsageEvents","successful":[{{{EventBody}}}],"failed":[],"summary":{"total":{{{events.Count}}},"successful":{{{events.Count}}},"failed":0}}""";
            return Harness.Response(second ? HttpStatusCode.MultiStatus : HttpStatusCode.Created, body);
        });

        var reports = Enumerable.Range(0, 1001).Select(i => Report($"k-{i}")).ToList();
        var result = await h.Client.Usage.CreateBatchAsync(reports);

        h.Requests.Should().HaveCount(2);
        h.Requests[0].Json["events"]!.AsArray().Should().HaveCount(1000);
        h.Requests[1].Json["events"]!.AsArray().Should().ContainSingle();
        ((string)h.Requests[1].Json["events"]![0]!["idempotencyKey"]!).Should().Be("k-1000");
        result.Calls.Should().Be(2);
        result.IsPartial.Should().BeTrue();
        result.Failed.Should().ContainSingle().Which.Should().Be(new UsageBatchFailure(1000, "k-1000", "Insufficient funds"));
        result.Total.Should().Be(1001);
    }

    [Fact]
    public async Task Batch_answered_201_is_not_partial()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/usage/batch", HttpStatusCode.Created, $$$"""{"object":"batchUsageEvents","successful":[{{{EventBody}}}],"failed":[],"summary":{"total":1,"successful":1,"failed":0}}""");

        var result = await h.Client.Usage.CreateBatchAsync([Report()]);

        result.IsPartial.Should().BeFalse();
        result.Successful.Should().ContainSingle();
    }

    [Fact]
    public async Task Get_reads_an_event_with_its_refund()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Get, "/v0/usage/usg_1", HttpStatusCode.OK, EventBody.Replace("\"metadata\"", "\"refund\":{\"reason\":\"bug\",\"refundedAt\":\"2026-11-27T10:05:00Z\"},\"metadata\"", StringComparison.Ordinal));

        var usage = await h.Client.Usage.GetAsync("usg_1");

        usage.Refund!.Reason.Should().Be("bug");
    }

    [Fact]
    public async Task List_sends_the_window_and_filter()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/usage").Respond("application/json", $$$"""{"object":"list","data":[{{{EventBody}}}],"pagination":{"limit":50,"offset":0,"total":1}}""");

        var page = await h.Client.Usage.ListPageAsync(new UsageListOptions { StartTime = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), EndTime = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), CustomerId = "cus_1", Limit = 50 });

        h.Single().PathAndQuery.Should().Be("/v0/usage?startTime=2026-11-01T00%3A00%3A00.0000000%2B00%3A00&endTime=2026-12-01T00%3A00%3A00.0000000%2B00%3A00&customerId=cus_1&limit=50&offset=0");
        page.Data.Should().ContainSingle();
    }

    [Fact]
    public async Task Refund_patches_refunded_true_with_the_reason()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Patch, "/v0/usage/usg_1", HttpStatusCode.OK, EventBody);

        await h.Client.Usage.RefundAsync("usg_1", "duplicate run");

        h.Single().ShouldHaveJson("""{"refunded":true,"reason":"duplicate run"}""");
    }

    [Fact]
    public async Task Refund_of_a_refunded_event_is_unprocessable()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Patch, "/v0/usage/usg_1", HttpStatusCode.UnprocessableEntity, """{"message":"Usage event already refunded","error":"unprocessable_entity"}""");

        var act = () => h.Client.Usage.RefundAsync("usg_1");

        await act.Should().ThrowAsync<PaygenticUnprocessableEntityException>();
        h.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task A_validation_error_lists_every_field()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/usage", HttpStatusCode.BadRequest, """
            {"error":"validation_error","message":"Invalid request","errors":[{"field":"properties[0].quantity","message":"must be an integer","code":"invalid_type"},{"field":"timestamp","message":"required"}]}
            """);

        var act = () => h.Client.Usage.CreateAsync(Report());

        var ex = (await act.Should().ThrowAsync<PaygenticBadRequestException>()).Which;
        ex.ErrorType.Should().Be("validation_error");
        ex.ValidationErrors.Should().Equal(new ValidationFieldError("properties[0].quantity", "must be an integer", "invalid_type"), new ValidationFieldError("timestamp", "required", null));
        ex.Message.Should().Contain("properties[0].quantity: must be an integer");
    }
}
