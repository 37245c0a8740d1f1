using System.Net;
using System.Text.Json.Nodes;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

/// <summary>Where the emulator must answer exactly like the real API, whatever the client.</summary>
public sealed class ApiFidelityTests
{
    [Fact]
    public async Task Payment_shows_on_create_and_while_pending_and_is_left_out_once_paid()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();
        var request = new { name = "Pays later", planId = "plan_legacy", customerId = customer, startedAt = TestEmulator.Start, prefundAmount = "5.00" };

        var (_, created) = await emulator.PostAsync("/v0/subscriptions", request);
        var id = (string)created["id"]!;
        var (_, pending) = await emulator.GetAsync("/v0/subscriptions/" + id);
        using var paid = await emulator.Client.PostAsync((string)created["payment"]!["checkoutUrl"]!, null);
        var (_, read) = await emulator.GetAsync("/v0/subscriptions/" + id);
        var (_, list) = await emulator.GetAsync($"/v0/subscriptions?customerId={customer}");
        var again = await emulator.PostAsync("/v0/subscriptions", request);
        var (_, terminated) = await emulator.PostAsync($"/v0/subscriptions/{id}/termination", new { reason = "done" });

        ((string)created["payment"]!["status"]!).Should().Be("pending");
        ((string)pending["status"]!).Should().Be("pending_payment");
        ((string)pending["payment"]!["status"]!).Should().Be("pending", "the checkout is still due");
        paid.StatusCode.Should().Be(HttpStatusCode.OK);
        again.Status.Should().Be(HttpStatusCode.OK);
        foreach (var body in new[] { read, list["data"]![0]!, again.Body, terminated })
        {
            body.AsObject().ContainsKey("payment").Should().BeFalse(body.ToJsonString());
        }
    }

    [Fact]
    public async Task A_subscription_settled_at_once_shows_the_paid_payment_only_on_create()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();

        var created = await emulator.SubscribeAsync(customer, prefundUsd: null, plan: "plan_standard");
        var (_, read) = await emulator.GetAsync("/v0/subscriptions/" + (string)created["id"]!);

        ((string)created["payment"]!["status"]!).Should().Be("paid");
        read.AsObject().ContainsKey("payment").Should().BeFalse();
    }

    [Theory]
    [InlineData("P8D")]
    [InlineData("PT169H")]
    [InlineData("soon")]
    [InlineData("P1X")]
    [InlineData("PT0S")]
    public async Task A_portal_lifetime_above_seven_days_or_malformed_is_a_validation_error(string expiresIn)
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, subscription) = await emulator.FundedCustomerAsync();

        var answer = await emulator.PostAsync($"/v0/subscriptions/{subscription}/portal", new { expiresIn });

        answer.ShouldBeValidationError("expiresIn");
    }

    [Fact]
    public async Task A_portal_lifetime_of_exactly_seven_days_is_accepted()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (_, subscription) = await emulator.FundedCustomerAsync();

        var (status, body) = await emulator.PostAsync($"/v0/subscriptions/{subscription}/portal", new { expiresIn = "P7D" });

        status.Should().Be(HttpStatusCode.OK);
        ((string)body["expiresAt"]!).Should().Be("2026-04-25T12:00:00.000Z");
    }

    [Fact]
    public async Task Pagination_limit_is_the_requested_page_size_and_active_entitlements_answer_a_constant_one()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, _) = await emulator.FundedCustomerAsync();

        var (_, subscriptions) = await emulator.GetAsync($"/v0/subscriptions?customerId={customer}&limit=7");
        var (_, customers) = await emulator.GetAsync("/v0/customers?organizationId=org_demo&limit=3");
        var (_, active) = await emulator.GetAsync($"/v0/entitlements/activeEntitlements?customerId={customer}");

        ((int)subscriptions["pagination"]!["limit"]!).Should().Be(7);
        ((int)subscriptions["pagination"]!["total"]!).Should().Be(1);
        ((int)customers["pagination"]!["limit"]!).Should().Be(3);
        active["data"]!.AsArray().Should().HaveCount(1);
        ((int)active["pagination"]!["limit"]!).Should().Be(10, "activeEntitlements takes no paging parameters; its page size is fixed");
        ((int)active["pagination"]!["total"]!).Should().Be(1);
    }

    [Fact]
    public async Task Timestamps_are_written_in_utc_with_milliseconds_and_read_in_any_rfc3339_form()
    {
        await using var emulator = await TestEmulator.StartAsync();
        emulator.Time.Advance(TimeSpan.FromTicks(1_234_567));
        var customer = await emulator.CreateCustomerAsync();

        var answers = new List<JsonNode>();
        foreach (var startedAt in new[] { "2026-05-01t14:30:00+02:00", "2026-05-01 12:30:00Z", "2026-05-01T12:30:00.123456789z" })
        {
            var (status, body) = await emulator.PostAsync("/v0/subscriptions", $$"""{"name":"{{startedAt}}","planId":"plan_standard","customerId":"{{customer}}","startedAt":"{{startedAt}}"}""");
            status.Should().Be(HttpStatusCode.Created, body.ToJsonString());
            answers.Add(body);
        }

        answers.Select(a => (string)a["startedAt"]!).Should().Equal("2026-05-01T12:30:00.000Z", "2026-05-01T12:30:00.000Z", "2026-05-01T12:30:00.123Z");
        ((string)answers[0]["createdAt"]!).Should().Be("2026-04-18T12:00:00.123Z");
        var (_, list) = await emulator.GetAsync($"/v0/subscriptions?customerId={customer}&startedBefore=2026-05-01t12:30:00.5z");
        ((int)list["pagination"]!["total"]!).Should().Be(3, "query parameters are read the same way");
    }

    [Fact]
    public async Task A_timestamp_without_an_offset_is_refused_with_the_field_named()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();

        var answer = await emulator.PostAsync("/v0/subscriptions", $$"""{"name":"n","planId":"plan_standard","customerId":"{{customer}}","startedAt":"2026-05-01T12:30:00"}""");

        answer.ShouldBeValidationError("startedAt");
    }

    [Fact]
    public async Task Json_text_keeps_apostrophes_and_other_safe_characters_unescaped()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();

        using var response = await emulator.Client.PostAsync(
            "/v0/subscriptions",
            TestEmulator.Json($$"""{"name":"Jane's <plan> & café \"quoted\"","planId":"plan_standard","customerId":"{{customer}}","startedAt":"2026-05-01T00:00:00Z"}"""));
        var raw = await response.Content.ReadAsStringAsync();

        raw.Should().Contain("\"name\":\"Jane's <plan> & café \\\"quoted\\\"\"", "only what JSON itself requires is escaped");
        raw.Should().NotContain("\\u0027");
    }

    [Fact]
    public async Task The_period_of_a_subscription_anchors_at_its_start_not_at_activation()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var customer = await emulator.CreateCustomerAsync();
        var startedAt = TestEmulator.Start.AddDays(-10);
        var (_, created) = await emulator.PostAsync("/v0/subscriptions", new { name = "Back-dated", planId = "plan_standard", customerId = customer, startedAt });
        emulator.Time.Advance(TimeSpan.FromDays(3));

        var (_, list) = await emulator.GetAsync($"/v1/entitlements?customerId={customer}");

        ((string)created["status"]!).Should().Be("active");
        ((string)list["data"]![0]!["currentPeriodStart"]!).Should().Be("2026-04-08T12:00:00.000Z");
        ((string)list["data"]![0]!["currentPeriodEnd"]!).Should().Be("2026-05-08T12:00:00.000Z");
    }

    [Fact]
    public async Task Error_codes_are_written_by_default_and_left_out_when_asked()
    {
        await using var withCodes = await TestEmulator.StartAsync();
        await using var withoutCodes = await TestEmulator.StartAsync(o => o.OmitErrorCodes = true);

        foreach (var (emulator, expectCode) in new[] { (withCodes, true), (withoutCodes, false) })
        {
            var notFound = await emulator.GetAsync("/v0/subscriptions/sub_missing");
            var invalid = await emulator.PostAsync("/v0/subscriptions", new { name = "n" });
            using var unauthorized = await emulator.NewClient("sk_wrong").GetAsync("/v0/subscriptions/sub_x");
            var refused = await TestEmulator.ReadAsync(unauthorized);

            notFound.ShouldBeError(HttpStatusCode.NotFound);
            invalid.ShouldBeValidationError("planId");
            ((string?)refused["message"]).Should().NotBeNullOrEmpty();
            notFound.Body.AsObject().ContainsKey("code").Should().Be(expectCode);
            refused.AsObject().ContainsKey("code").Should().Be(expectCode);
            invalid.Body["errors"]!.AsArray().Any(e => e!.AsObject().ContainsKey("code")).Should().Be(expectCode);
        }
    }
}
