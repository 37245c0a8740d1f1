using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Tests;

/// <summary>Invalid options fail at construction naming the option; invalid arguments fail before any request.</summary>
public class BadInputTests
{
    public static TheoryData<string, Action<PaygenticOptions>, string> InvalidOptions => new()
    {
        { "missing key", o => o.ApiKey = null, "Paygentic:ApiKey is required" },
        { "blank key", o => o.ApiKey = "   ", "Paygentic:ApiKey is required" },
        { "key with a space", o => o.ApiKey = "sk test", "Paygentic:ApiKey must not contain white space" },
        { "http to a public host", o => o.BaseUrl = new Uri("http://api.example.com"), "plain http is allowed only for loopback" },
        { "ftp scheme", o => o.BaseUrl = new Uri("ftp://api.example.com"), "Paygentic:BaseUrl must use https" },
        { "base url ending in /v0", o => o.BaseUrl = new Uri("https://api.example.com/v0"), "must not end in a version segment" },
        { "base url ending in /v1/", o => o.BaseUrl = new Uri("https://api.example.com/v1/"), "must not end in a version segment" },
        { "base url with a query", o => o.BaseUrl = new Uri("https://api.example.com/?x=1"), "must not carry a query string" },
        { "blank merchant", o => o.MerchantId = " ", "Paygentic:MerchantId must not be blank" },
        { "zero attempt timeout", o => o.AttemptTimeout = TimeSpan.Zero, "Paygentic:AttemptTimeout must be positive" },
        { "attempt longer than total", o => o.AttemptTimeout = TimeSpan.FromMinutes(5), "must not exceed Paygentic:TotalTimeout" },
        { "negative retries", o => o.Retry.MaxRetries = -1, "Paygentic:Retry:MaxRetries must be between 0 and 10" },
        { "too many retries", o => o.Retry.MaxRetries = 50, "Paygentic:Retry:MaxRetries must be between 0 and 10" },
        { "failure ratio above 1", o => o.Retry.CircuitBreakerFailureRatio = 1.5, "CircuitBreakerFailureRatio" },
        { "tiny break duration", o => o.Retry.CircuitBreakerBreakDuration = TimeSpan.FromMilliseconds(10), "CircuitBreakerBreakDuration" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_options_fail_at_construction_naming_the_option(string because, Action<PaygenticOptions> spoil, string expected)
    {
        var options = new PaygenticOptions { ApiKey = "sk_test_ok", BaseUrl = new Uri("https://api.example.com"), MerchantId = "org_demo" };
        spoil(options);

        var act = () => new PaygenticClient(options);

        act.Should().Throw<OptionsValidationException>(because).Which.Message.Should().Contain(expected);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("https://api.sandbox.paygentic.io")]
    public void Loopback_http_and_https_urls_are_accepted(string url)
    {
        var act = () => new PaygenticClient(new PaygenticOptions { ApiKey = "sk_test_ok", BaseUrl = new Uri(url) }).Dispose();

        act.Should().NotThrow();
    }

    public static TheoryData<string, Func<IPaygenticClient, Task>, Type, string> InvalidCalls => new()
    {
        { "empty customer id", c => c.Customers.GetAsync(""), typeof(ArgumentException), "customerId must not be null or blank" },
        { "blank customer id on delete", c => c.Customers.DeleteAsync("  "), typeof(ArgumentException), "customerId must not be null or blank" },
        { "customer without consumer", c => c.Customers.CreateAsync(new CreateCustomerRequest()), typeof(ArgumentException), "request.Consumer or request.ConsumerId is required" },
        { "external id too long", c => c.Customers.CreateAsync(new CreateCustomerRequest { ConsumerId = "org_x", ExternalId = new string('x', 256) }), typeof(ArgumentException), "at most 255 characters" },
        { "list limit 0", c => c.Customers.ListPageAsync(new CustomerListOptions { Limit = 0 }), typeof(ArgumentOutOfRangeException), "Limit must be between 1 and 100" },
        { "list limit 101", c => c.Customers.ListPageAsync(new CustomerListOptions { Limit = 101 }), typeof(ArgumentOutOfRangeException), "Limit must be between 1 and 100" },
        { "negative offset", c => c.Customers.ListPageAsync(new CustomerListOptions { Offset = -1 }), typeof(ArgumentOutOfRangeException), "Offset must not be negative" },
        { "usage quantity 0", c => c.Usage.CreateAsync(Report(0)), typeof(ArgumentOutOfRangeException), "Quantity must be a whole number of at least 1 (was 0)" },
        { "usage quantity negative", c => c.Usage.CreateAsync(Report(-5)), typeof(ArgumentOutOfRangeException), "(was -5)" },
        { "usage without properties", c => c.Usage.CreateAsync(Report(1) with { Properties = [] }), typeof(ArgumentException), "report.Properties must contain at least one" },
        { "usage with blank metric", c => c.Usage.CreateAsync(Report(1) with { Properties = [new UsageProperty { BillableMetricId = "", Quantity = 1 }] }), typeof(ArgumentException), "report.Properties[0].BillableMetricId" },
        { "usage with blank key", c => c.Usage.CreateAsync(Report(1) with { IdempotencyKey = " " }), typeof(ArgumentException), "IdempotencyKey must not be blank" },
        { "usage price with 10 decimals", c => c.Usage.CreateAsync(Report(1) with { Properties = [new UsageProperty { BillableMetricId = "bm", Quantity = 1, Price = 0.0000000001m }] }), typeof(ArgumentOutOfRangeException), "at most 9 decimal places" },
        { "empty batch", c => c.Usage.CreateBatchAsync([]), typeof(ArgumentException), "at least one usage report" },
        { "batch with a bad item", c => c.Usage.CreateBatchAsync([Report(1), Report(0)]), typeof(ArgumentOutOfRangeException), "reports[1].Properties[0].Quantity" },
        { "usage list without filter", c => c.Usage.ListPageAsync(new UsageListOptions { StartTime = DateTimeOffset.UnixEpoch, EndTime = DateTimeOffset.UnixEpoch.AddDays(1) }), typeof(ArgumentException), "at least one of CustomerId" },
        { "usage list window reversed", c => c.Usage.ListPageAsync(new UsageListOptions { StartTime = DateTimeOffset.UnixEpoch.AddDays(1), EndTime = DateTimeOffset.UnixEpoch, CustomerId = "cus_1" }), typeof(ArgumentException), "EndTime must not be before" },
        { "reservation without items", c => c.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = "cus_1", Items = [] }), typeof(ArgumentException), "request.Items must name at least one" },
        { "reservation negative quantity", c => c.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = "cus_1", Items = [new ReservationItem { BillableMetricId = "bm", Quantity = -1 }] }), typeof(ArgumentOutOfRangeException), "Quantity must not be negative" },
        { "reservation maxUses 1001", c => c.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = "cus_1", Items = [new ReservationItem { BillableMetricId = "bm", Quantity = 1 }], MaxUses = 1001 }), typeof(ArgumentOutOfRangeException), "MaxUses must be between 1 and 1000" },
        { "feature key without product", c => c.Entitlements.ListAccessPageAsync(new EntitlementAccessQuery { CustomerId = "cus_1", FeatureKey = "submissions" }), typeof(ArgumentException), "FeatureKey needs query.ProductId" },
        { "subscription with customer and customerId", c => c.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "n", PlanId = "plan_1", CustomerId = "cus_1", Customer = new NewSubscriptionCustomer { Name = "a", Email = "a@b.c", Address = new Address() } }), typeof(ArgumentException), "exactly one of request.CustomerId and request.Customer" },
        { "negative prefund", c => c.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "n", PlanId = "plan_1", CustomerId = "cus_1", PrefundAmount = -1m }), typeof(ArgumentOutOfRangeException), "must not be negative" },
        { "portal link for 8 days", c => c.Subscriptions.CreatePortalLinkAsync("sub_1", TimeSpan.FromDays(8)), typeof(ArgumentOutOfRangeException), "between 1 second and 7 days" },
        { "portal link with fractional seconds", c => c.Subscriptions.CreatePortalLinkAsync("sub_1", TimeSpan.FromMilliseconds(1500)), typeof(ArgumentOutOfRangeException), "whole seconds" },
        { "termination without reason", c => c.Subscriptions.TerminateAsync("sub_1", ""), typeof(ArgumentException), "reason must not be null or blank" },
        { "event without type", c => c.Events.IngestAsync(new MeterEvent { Type = "", Source = "s", Subject = "cus_1", Data = [] }), typeof(ArgumentException), "meterEvent.Type" },
        { "event without data", c => c.Events.IngestAsync(new MeterEvent { Type = "t", Source = "s", Subject = "cus_1", Data = null! }), typeof(ArgumentNullException), "meterEvent.Data" },
    };

    [Theory]
    [MemberData(nameof(InvalidCalls))]
    public async Task Invalid_arguments_fail_before_any_request(string because, Func<IPaygenticClient, Task> call, Type expected, string message)
    {
        using var h = new Harness();
        h.Mock.Fallback.Respond(HttpStatusCode.OK);

        var ex = await Record.ExceptionAsync(() => call(h.Client));

        ex.Should().NotBeNull(because).And.BeOfType(expected, because);
        ex!.Message.Should().Contain(message);
        h.Requests.Should().BeEmpty("{0} must be refused before the network", because);
    }

    [Fact]
    public async Task A_merchant_is_required_from_the_request_or_the_options()
    {
        using var h = new Harness(o => o.MerchantId = null);

        var act = () => h.Client.Usage.CreateAsync(Report(1));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("PAYGENTIC_MERCHANT_ID");
        h.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task An_unknown_payment_status_and_unknown_fields_do_not_break_reading()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Get, "/v0/subscriptions/sub_1", HttpStatusCode.OK, "{" + Wire.SubscriptionsWireTests.Base + ""","payment":{"status":"mystery"},"brandNew":[1,2,3]}""");

        var subscription = await h.Client.Subscriptions.GetAsync("sub_1");

        subscription.Payment.Should().BeOfType<UnknownSubscriptionPayment>();
    }

    private static UsageReport Report(long quantity) => new()
    {
        CustomerId = "cus_1",
        IdempotencyKey = "k",
        Properties = [new UsageProperty { BillableMetricId = "bm_basicsub", Quantity = quantity }],
        Metadata = new Dictionary<string, string> { ["a"] = "b" },
    };

}
