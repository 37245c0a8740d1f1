using System.Net;
using System.Text.Json.Nodes;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Tests.Support;

namespace Paygentic.Sdk.Tests.Wire;

public class EventsWireTests
{
    private static MeterEvent Event(string? key = "op-1:event") => new()
    {
        Type = "code.submission",
        Source = "https://coderunner.example",
        Subject = "cus_1",
        Data = new JsonObject { ["language"] = "python", ["executionMs"] = 250 },
        IdempotencyKey = key,
        Timestamp = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task Ingest_posts_the_envelope_and_accepts_202()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/events", HttpStatusCode.Accepted, """{"id":"evt_1","object":"event","type":"code.submission","source":"https://coderunner.example","subject":"cus_1","idempotencyKey":"op-1:event","timestamp":"2026-11-27T10:00:00Z"}""");

        var receipt = await h.Client.Events.IngestAsync(Event());

        h.Single().ShouldHaveJson("""
            {"type":"code.submission","source":"https://coderunner.example","subject":"cus_1","idempotencyKey":"op-1:event",
             "timestamp":"2026-11-27T10:00:00+00:00","data":{"language":"python","executionMs":250}}
            """);
        receipt.Id.Should().Be("evt_1");
        receipt.IdempotencyKey.Should().Be("op-1:event");
    }

    [Fact]
    public async Task An_unknown_event_type_is_its_own_exception()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/events", HttpStatusCode.UnprocessableEntity, """{"error":"invalid_event_type","message":"No billable metric has event type code.submission"}""");

        var act = () => h.Client.Events.IngestAsync(Event());

        var ex = (await act.Should().ThrowAsync<PaygenticInvalidEventTypeException>()).Which;
        ex.Should().BeAssignableTo<PaygenticUnprocessableEntityException>();
        h.Requests.Should().ContainSingle("a 422 is permanent");
    }

    [Fact]
    public async Task Other_422s_stay_generic()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/events", HttpStatusCode.UnprocessableEntity, """{"error":"unprocessable","message":"bad data"}""");

        var act = () => h.Client.Events.IngestAsync(Event());

        (await act.Should().ThrowAsync<PaygenticUnprocessableEntityException>()).Which.Should().NotBeOfType<PaygenticInvalidEventTypeException>();
    }

    [Fact]
    public async Task Without_a_key_one_is_derived_once_and_reused_on_retry()
    {
        using var h = new Harness();
        h.RespondInSequence(
            HttpMethod.Post,
            "/v0/events",
            () => Harness.Response(HttpStatusCode.ServiceUnavailable, """{"message":"try later"}"""),
            () => Harness.Response(HttpStatusCode.Accepted, """{"id":"evt_1","object":"event"}"""));

        await h.RunAsync(h.Client.Events.IngestAsync(Event(key: null)));

        h.Requests.Should().HaveCount(2);
        h.Requests[1].Body.Should().Be(h.Requests[0].Body);
        ((string)h.Requests[0].Json["idempotencyKey"]!).Should().StartWith("pgsdk_");
    }
}
