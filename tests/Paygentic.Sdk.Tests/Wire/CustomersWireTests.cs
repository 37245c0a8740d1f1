using System.Net;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Tests.Support;

namespace Paygentic.Sdk.Tests.Wire;

public class CustomersWireTests
{
    private const string CreatedBody = """{"customerId":"cus_h3i4j5k6l7m8n9o0","validTaxAddress":{"valid":true}}""";

    private const string CustomerBody = """
        {"id":"cus_p1q2r3s4t5u6v7w8","object":"customer","consumerId":"org_x9y0z1a2b3c4d5e6","createdAt":"2024-02-05T11:30:00Z",
         "merchantId":"org_demo","organization":{"id":"org_x9y0z1a2b3c4d5e6","name":"TechCorp","billingEmails":["billing@techcorp.com"],
         "address":{"city":"San Francisco","country":"US","zipCode":"94105"}},"taxRates":{"default":8.5},
         "updatedAt":"2024-02-10T14:20:00Z","validTaxAddress":{"valid":true},"someFutureField":{"x":1}}
        """;

    private static CreateCustomerRequest NewRequest() => new()
    {
        Consumer = new NewConsumer { Name = "Jane Smith", Email = "jane@example.com", Address = new Address { City = "San Francisco", State = "CA", Country = "US", ZipCode = "94105" } },
        ExternalId = "user-42",
    };

    [Theory]
    [InlineData(HttpStatusCode.Created, true)]
    [InlineData(HttpStatusCode.OK, false)]
    public async Task Create_posts_the_consumer_with_the_configured_merchant_and_reports_whether_it_was_created(HttpStatusCode status, bool created)
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/customers", status, CreatedBody);

        var result = await h.Client.Customers.CreateAsync(NewRequest());

        result.Created.Should().Be(created);
        result.CustomerId.Should().Be("cus_h3i4j5k6l7m8n9o0");
        result.ValidTaxAddress!.Valid.Should().BeTrue();
        var sent = h.Single();
        sent.Method.Should().Be(HttpMethod.Post);
        sent.PathAndQuery.Should().Be("/v0/customers");
        sent.ContentType.Should().Be("application/json");
        sent.Authorization.Should().Be("Bearer " + Harness.ApiKey);
        sent.ShouldHaveJson("""
            {"merchantId":"org_demo","externalId":"user-42",
             "consumer":{"name":"Jane Smith","email":"jane@example.com","address":{"city":"San Francisco","state":"CA","country":"US","zipCode":"94105"}}}
            """);
    }

    [Fact]
    public async Task Create_with_a_taken_external_id_throws_conflict_with_the_server_message()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Post, "/v0/customers", HttpStatusCode.Conflict, """{"message":"A customer with this externalId already exists","error":"conflict"}""");

        var act = () => h.Client.Customers.CreateAsync(NewRequest());

        var ex = (await act.Should().ThrowAsync<PaygenticConflictException>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.Conflict);
        ex.ErrorType.Should().Be("conflict");
        ex.ApiMessage.Should().Contain("externalId");
    }

    [Fact]
    public async Task Get_reads_the_customer_and_ignores_unknown_fields()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Get, "/v0/customers/cus_p1q2r3s4t5u6v7w8", HttpStatusCode.OK, CustomerBody);

        var customer = await h.Client.Customers.GetAsync("cus_p1q2r3s4t5u6v7w8");

        h.Single().PathAndQuery.Should().Be("/v0/customers/cus_p1q2r3s4t5u6v7w8");
        customer.Id.Should().Be("cus_p1q2r3s4t5u6v7w8");
        customer.ObjectType.Should().Be("customer");
        customer.Organization!.Address!.ZipCode.Should().Be("94105");
        customer.TaxRates!["default"].Should().Be(8.5m);
        customer.CreatedAt.Should().Be(new DateTimeOffset(2024, 2, 5, 11, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Get_of_a_missing_customer_throws_not_found()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Get, "/v0/customers/cus_missing", HttpStatusCode.NotFound, """{"message":"Customer not found","error":"not_found"}""");

        var act = () => h.Client.Customers.GetAsync("cus_missing");

        (await act.Should().ThrowAsync<PaygenticNotFoundException>()).Which.Message.Should().Be("Paygentic API returned 404 (not_found): Customer not found");
    }

    [Fact]
    public async Task List_page_sends_organization_filter_and_paging()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/customers").Respond("application/json", $$$"""{"object":"list","data":[{{{CustomerBody}}}],"pagination":{"limit":5,"offset":10,"total":11}}""");

        var page = await h.Client.Customers.ListPageAsync(new CustomerListOptions { Limit = 5, Offset = 10, Email = "acme.com" });

        h.Single().PathAndQuery.Should().Be("/v0/customers?organizationId=org_demo&limit=5&offset=10&email=acme.com");
        page.Data.Should().ContainSingle();
        page.Total.Should().Be(11);
        page.HasMore.Should().BeFalse();
    }

    [Fact]
    public async Task List_streams_every_page_until_the_total_is_reached()
    {
        using var h = new Harness();
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/customers").WithQueryString("offset", "0")
            .Respond("application/json", $$$"""{"object":"list","data":[{{{CustomerBody}}},{{{CustomerBody}}}],"pagination":{"limit":2,"offset":0,"total":3}}""");
        h.Mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/customers").WithQueryString("offset", "2")
            .Respond("application/json", $$$"""{"object":"list","data":[{{{CustomerBody}}}],"pagination":{"limit":2,"offset":2,"total":3}}""");

        var all = new List<Customer>();
        await foreach (var c in h.Client.Customers.ListAsync(new CustomerListOptions { Limit = 2 }))
        {
            all.Add(c);
        }

        all.Should().HaveCount(3);
        h.Requests.Select(r => r.PathAndQuery).Should().Equal("/v0/customers?organizationId=org_demo&limit=2&offset=0", "/v0/customers?organizationId=org_demo&limit=2&offset=2");
    }

    [Fact]
    public async Task Update_patches_only_the_given_fields()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Patch, "/v0/customers/cus_1", HttpStatusCode.OK, CustomerBody);

        await h.Client.Customers.UpdateAsync("cus_1", new UpdateCustomerRequest { TaxId = "GB123456789" });

        var sent = h.Single();
        sent.Method.Should().Be(HttpMethod.Patch);
        sent.ShouldHaveJson("""{"taxId":"GB123456789"}""");
    }

    [Fact]
    public async Task Delete_sends_delete_and_accepts_204()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Delete, "/v0/customers/cus_1", HttpStatusCode.NoContent, null);

        await h.Client.Customers.DeleteAsync("cus_1");

        h.Single().Method.Should().Be(HttpMethod.Delete);
    }

    [Fact]
    public async Task Delete_blocked_by_dependencies_exposes_details()
    {
        using var h = new Harness();
        h.Respond(HttpMethod.Delete, "/v0/customers/cus_1", HttpStatusCode.Conflict, """{"error":"conflict","message":"Customer has active subscriptions","details":{"blockers":[{"type":"subscriptions","count":1,"items":[{"id":"sub_1"}]}]}}""");

        var act = () => h.Client.Customers.DeleteAsync("cus_1");

        var ex = (await act.Should().ThrowAsync<PaygenticConflictException>()).Which;
        ex.Details!.Value.GetProperty("blockers")[0].GetProperty("count").GetInt32().Should().Be(1);
    }
}
