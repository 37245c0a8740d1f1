using System.Net;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

public sealed class CustomerTests
{
    private static object NewCustomer(string email, string? externalId = null) => new
    {
        merchantId = "org_demo",
        externalId,
        consumer = new { name = "Ada Lovelace", email, address = new { country = "GB", zipCode = "N1 9GU" } },
    };

    [Fact]
    public async Task Create_is_201_then_200_for_the_same_email_and_409_for_a_taken_externalId()
    {
        await using var emulator = await TestEmulator.StartAsync();

        var created = await emulator.PostAsync("/v0/customers", NewCustomer("ada@example.com", "ext1"));
        var again = await emulator.PostAsync("/v0/customers", NewCustomer("ADA@example.com", "ext1"));
        var taken = await emulator.PostAsync("/v0/customers", NewCustomer("bob@example.com", "ext1"));

        created.Status.Should().Be(HttpStatusCode.Created);
        ((bool)created.Body["validTaxAddress"]!["valid"]!).Should().BeTrue();
        created.Body["validTaxAddress"]!.AsObject().ContainsKey("message").Should().BeFalse("absent fields are omitted, never null");
        again.Status.Should().Be(HttpStatusCode.OK);
        ((string)again.Body["customerId"]!).Should().Be((string)created.Body["customerId"]!);
        taken.ShouldBeError(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Ids_are_a_prefix_and_letters_and_digits_only()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var id = await emulator.CreateCustomerAsync();
        var (_, customer) = await emulator.GetAsync("/v0/customers/" + id);

        id.Should().MatchRegex("^cus_[A-Za-z0-9]+$");
        ((string)customer["consumerId"]!).Should().MatchRegex("^org_[A-Za-z0-9]+$");
        ((string)customer["object"]!).Should().Be("customer");
    }

    [Fact]
    public async Task Create_validates_the_request()
    {
        await using var emulator = await TestEmulator.StartAsync();

        (await emulator.PostAsync("/v0/customers", new { merchantId = "org_demo" })).ShouldBeValidationError("consumer");
        (await emulator.PostAsync("/v0/customers", "{not json")).ShouldBeValidationError("body");
        (await emulator.PostAsync("/v0/customers", new { consumer = new { name = "x" } })).ShouldBeValidationError("merchantId");
        (await emulator.PostAsync("/v0/customers", new { merchantId = "org_demo", consumerId = "org_nobody" })).ShouldBeError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_filters_and_pages()
    {
        await using var emulator = await TestEmulator.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await emulator.PostAsync("/v0/customers", NewCustomer($"user{i}@acme.test", $"e{i}"));
        }

        await emulator.PostAsync("/v0/customers", NewCustomer("someone@else.test"));

        var page = await emulator.GetAsync("/v0/customers?organizationId=org_demo&email=acme.test&limit=2&offset=2");
        var byExternal = await emulator.GetAsync("/v0/customers?organizationId=org_demo&externalId=e4");

        page.Status.Should().Be(HttpStatusCode.OK);
        page.Body["data"]!.AsArray().Should().HaveCount(2);
        ((int)page.Body["pagination"]!["total"]!).Should().Be(5);
        ((int)page.Body["pagination"]!["offset"]!).Should().Be(2);
        byExternal.Body["data"]!.AsArray().Select(c => (string?)c!["externalId"]).Should().Equal("e4");
        (await emulator.GetAsync("/v0/customers")).ShouldBeValidationError("organizationId");
        (await emulator.GetAsync("/v0/customers?organizationId=org_demo&limit=101")).ShouldBeValidationError("limit");
    }

    [Fact]
    public async Task Update_sets_and_clears_fields_and_refuses_a_taken_externalId()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var id = await emulator.CreateCustomerAsync(externalId: "first");
        await emulator.CreateCustomerAsync(externalId: "second");

        var updated = await emulator.SendAsync(HttpMethod.Patch, "/v0/customers/" + id, new { taxId = "GB123", taxRates = 8.5, externalId = "renamed" });
        var cleared = await emulator.SendAsync(HttpMethod.Patch, "/v0/customers/" + id, "{\"taxId\":null}");
        var conflict = await emulator.SendAsync(HttpMethod.Patch, "/v0/customers/" + id, new { externalId = "second" });

        updated.Status.Should().Be(HttpStatusCode.OK);
        ((string?)updated.Body["taxId"]).Should().Be("GB123");
        ((decimal)updated.Body["taxRates"]!["default"]!).Should().Be(8.5m);
        cleared.Body.AsObject().ContainsKey("taxId").Should().BeFalse();
        ((string?)cleared.Body["externalId"]).Should().Be("renamed");
        conflict.ShouldBeError(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Delete_is_refused_while_a_subscription_lives_and_204_otherwise()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (busy, _) = await emulator.FundedCustomerAsync();
        var idle = await emulator.CreateCustomerAsync();

        var refused = await emulator.SendAsync(HttpMethod.Delete, "/v0/customers/" + busy);
        using var deleted = await emulator.Client.DeleteAsync("/v0/customers/" + idle);

        refused.Status.Should().Be(HttpStatusCode.Conflict);
        ((string?)refused.Body["details"]!["blockers"]![0]!["type"]).Should().Be("subscriptions");
        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        deleted.Content.Headers.ContentType.Should().BeNull("no JSON content type without a body");
        (await emulator.GetAsync("/v0/customers/" + idle)).ShouldBeError(HttpStatusCode.NotFound);
    }
}
