using System.Net;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

public sealed class AuthTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("sk_wrong")]
    public async Task Paygentic_paths_refuse_a_missing_or_wrong_key_with_an_Error_body(string? key)
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.NewClient(key);

        var response = await emulator.GetAsync("/v0/customers?organizationId=org_demo", client);

        response.ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        ((string?)response.Body["error"]).Should().Be("unauthorized");
    }

    [Fact]
    public async Task Emulator_paths_need_no_key()
    {
        await using var emulator = await TestEmulator.StartAsync();
        using var client = emulator.NewClient(null);

        var (status, body) = await emulator.GetAsync("/_emulator/health", client);

        status.Should().Be(HttpStatusCode.OK);
        ((string?)body["status"]).Should().Be("ok");
    }

    [Fact]
    public async Task Another_merchants_objects_are_forbidden()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var (customer, subscription) = await emulator.FundedCustomerAsync();
        var usage = await emulator.UsageAsync(customer, "k1");
        using var other = emulator.NewClient(TestEmulator.OtherKey);

        (await emulator.GetAsync("/v0/customers/" + customer, other)).ShouldBeError(HttpStatusCode.Forbidden);
        (await emulator.GetAsync("/v0/subscriptions/" + subscription, other)).ShouldBeError(HttpStatusCode.Forbidden);
        (await emulator.GetAsync("/v0/usage/" + (string)usage.Body["id"]!, other)).ShouldBeError(HttpStatusCode.Forbidden);
        (await emulator.GetAsync("/v0/customers?organizationId=org_demo", other)).ShouldBeError(HttpStatusCode.Forbidden);

        // The other merchant cannot charge the demo merchant's customer, whichever merchantId it claims.
        var asOther = new { customerId = customer, merchantId = "org_other", idempotencyKey = "x", timestamp = TestEmulator.Start, properties = new[] { new { billableMetricId = "bm_otherreq", quantity = 1 } } };
        (await emulator.PostAsync("/v0/usage", asOther, other)).ShouldBeError(HttpStatusCode.Forbidden);
        (await emulator.UsageAsync(customer, "y", client: other)).ShouldBeError(HttpStatusCode.Forbidden);
        (await emulator.GetAsync("/v0/customers/cus_unknown")).ShouldBeError(HttpStatusCode.NotFound);
    }
}
