using System.Net;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Tests.Wire;

namespace Paygentic.Sdk.Tests;

public class ErrorTests
{
    [Theory]
    [InlineData(400, typeof(PaygenticBadRequestException))]
    [InlineData(401, typeof(PaygenticAuthenticationException))]
    [InlineData(403, typeof(PaygenticPermissionDeniedException))]
    [InlineData(404, typeof(PaygenticNotFoundException))]
    [InlineData(409, typeof(PaygenticConflictException))]
    [InlineData(422, typeof(PaygenticUnprocessableEntityException))]
    [InlineData(429, typeof(PaygenticRateLimitException))]
    [InlineData(500, typeof(PaygenticServerException))]
    [InlineData(503, typeof(PaygenticServerException))]
    [InlineData(418, typeof(PaygenticApiException))]
    public async Task Each_status_has_its_exception_type_with_the_error_body(int status, Type expected)
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Respond(HttpMethod.Get, "/v0/customers/cus_1", (HttpStatusCode)status, """{"message":"Something specific","error":"some_category","code":"SOME_CODE","details":{"k":"v"}}""", ("x-request-id", "req_123"));

        var act = () => h.Client.Customers.GetAsync("cus_1");

        var ex = (await act.Should().ThrowAsync<PaygenticApiException>()).Which;
        ex.Should().BeOfType(expected);
        ex.StatusCode.Should().Be((HttpStatusCode)status);
        ex.ApiMessage.Should().Be("Something specific");
        ex.ErrorType.Should().Be("some_category");
        ex.Code.Should().Be("SOME_CODE");
        ex.Details!.Value.GetProperty("k").GetString().Should().Be("v");
        ex.RequestId.Should().Be("req_123");
        ex.RawBody.Should().Contain("Something specific");
        ex.Message.Should().Be($"Paygentic API returned {status} (some_category): Something specific (request id req_123)");
    }

    [Fact]
    public async Task An_html_502_page_becomes_an_api_exception_with_the_raw_text()
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/customers/cus_1").Respond(HttpStatusCode.BadGateway, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>");

        var act = () => h.Client.Customers.GetAsync("cus_1");

        var ex = (await act.Should().ThrowAsync<PaygenticServerException>()).Which;
        ex.RawBody.Should().Contain("<h1>502 Bad Gateway</h1>");
        ex.ApiMessage.Should().BeNull();
        ex.Message.Should().Contain("not a JSON error (text/html)");
    }

    [Fact]
    public async Task Malformed_json_on_success_becomes_an_invalid_response_exception()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/usage", HttpStatusCode.Created, """{"id":"usg_1","object":"usageEv""");

        var act = () => h.Client.Usage.CreateAsync(UsageWireTests.Report());

        var ex = (await act.Should().ThrowAsync<PaygenticInvalidResponseException>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.Created);
        ex.RawBody.Should().Be("""{"id":"usg_1","object":"usageEv""");
        ex.InnerException.Should().BeNull();
    }

    [Fact]
    public async Task An_empty_body_on_201_is_an_invalid_response()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/usage", HttpStatusCode.Created, null);

        var act = () => h.Client.Usage.CreateAsync(UsageWireTests.Report());

        (await act.Should().ThrowAsync<PaygenticInvalidResponseException>()).Which.Message.Should().Contain("empty body");
    }

    [Fact]
    public async Task A_json_null_body_on_success_is_an_invalid_response()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Get, "/v0/customers/cus_1", HttpStatusCode.OK, "null");

        var act = () => h.Client.Customers.GetAsync("cus_1");

        await act.Should().ThrowAsync<PaygenticInvalidResponseException>();
    }

    [Fact]
    public async Task A_wrongly_typed_field_is_an_invalid_response_not_a_json_exception()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/usage", HttpStatusCode.Created, UsageWireTests.EventBody.Replace("\"totalAmount\":12500000", "\"totalAmount\":\"12.5 dollars\"", StringComparison.Ordinal));

        var act = () => h.Client.Usage.CreateAsync(UsageWireTests.Report());

        (await act.Should().ThrowAsync<PaygenticInvalidResponseException>()).Which.RawBody.Should().Contain("12.5 dollars");
    }

    [Fact]
    public async Task An_empty_error_body_still_gives_a_typed_exception()
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Respond(HttpMethod.Get, "/v0/customers/cus_1", HttpStatusCode.Forbidden, null);

        var act = () => h.Client.Customers.GetAsync("cus_1");

        (await act.Should().ThrowAsync<PaygenticPermissionDeniedException>()).Which.Message.Should().Be("Paygentic API returned 403: the response body was empty (no content type)");
    }

    [Fact]
    public async Task A_retry_after_http_date_is_read_relative_to_the_clock()
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Respond(HttpMethod.Get, "/v0/customers/cus_1", HttpStatusCode.TooManyRequests, """{"message":"slow down"}""", ("Retry-After", "Fri, 27 Nov 2026 10:00:30 GMT"));

        var act = () => h.Client.Customers.GetAsync("cus_1");

        (await act.Should().ThrowAsync<PaygenticRateLimitException>()).Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task The_api_key_never_appears_in_an_exception_even_when_the_server_echoes_it()
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Respond(HttpMethod.Get, "/v0/customers/cus_1", HttpStatusCode.Unauthorized, $$"""{"message":"Key {{Harness.ApiKey}} is revoked","error":"unauthorized","errors":[{"field":"Authorization","message":"Bearer {{Harness.ApiKey}}"}]}""");

        var act = () => h.Client.Customers.GetAsync("cus_1");

        var ex = (await act.Should().ThrowAsync<PaygenticAuthenticationException>()).Which;
        ex.ToString().Should().NotContain(Harness.ApiKey);
        ex.Message.Should().NotContain(Harness.ApiKey).And.Contain("[REDACTED]");
        ex.RawBody.Should().NotContain(Harness.ApiKey);
        ex.ApiMessage.Should().NotContain(Harness.ApiKey);
        ex.ValidationErrors.Single().Message.Should().NotContain(Harness.ApiKey);
    }

    [Fact]
    public async Task A_transport_exception_does_not_carry_the_key()
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/customers/cus_1").Throw(new HttpRequestException($"proxy said: Authorization: Bearer {Harness.ApiKey}"));

        var act = () => h.Client.Customers.GetAsync("cus_1");

        var ex = (await act.Should().ThrowAsync<PaygenticTransportException>()).Which;
        ex.Message.Should().NotContain(Harness.ApiKey);
    }

    [Fact]
    public void Options_to_string_hides_the_key()
    {
        var options = new PaygenticOptions { ApiKey = Harness.ApiKey, MerchantId = "org_demo" };

        options.ToString().Should().NotContain(Harness.ApiKey).And.Contain("***").And.Contain("org_demo");
    }

    [Fact]
    public void Validation_errors_never_echo_the_key()
    {
        var options = new PaygenticOptions { ApiKey = "sk_test_with space_" + Harness.ApiKey, BaseUrl = new Uri("http://example.com") };

        var act = () => new PaygenticClient(options);

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().Which.Message.Should().NotContain(Harness.ApiKey);
    }
}
