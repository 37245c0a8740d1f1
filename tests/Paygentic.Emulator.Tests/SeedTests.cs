using System.Net;
using Paygentic.Emulator.Seed;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

public sealed class SeedTests
{
    [Fact]
    public void The_default_seed_has_the_documented_ids_and_prices()
    {
        var seed = EmulatorSeed.LoadDefault();
        var demo = seed.Merchants[0];

        demo.Id.Should().Be("org_demo");
        demo.ApiKey.Should().Be("sk_test_emulator");
        demo.Products.Select(p => p.Id).Should().Equal("prod_codeexec");
        demo.BillableMetrics.ToDictionary(m => m.Id, m => (m.Unit, m.UnitPrice)).Should().Contain(new Dictionary<string, (string, string)>
        {
            ["bm_basicsub"] = ("submission", "0.01"),
            ["bm_premiumsub"] = ("submission", "0.05"),
            ["bm_exectime"] = ("ms", "0.00001"),
        });
        demo.BillableMetrics.Single(m => m.Id == "bm_stdsub").EventType.Should().Be("code.submission");
        demo.Plans.Single(p => p.Id == "plan_legacy").BillingVersion.Should().Be(0);
        var standard = demo.Plans.Single(p => p.Id == "plan_standard");
        standard.BillingVersion.Should().Be(1);
        standard.Features.Single().FeatureId.Should().Be("feat_submissions");
        demo.Features.Single().Key.Should().Be("submissions");
        seed.Merchants[1].Id.Should().Be("org_other");
        seed.Merchants[1].ApiKey.Should().Be("sk_test_other");
    }

    [Fact]
    public async Task The_api_key_option_replaces_the_demo_key()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ApiKey = "sk_custom");
        using var custom = emulator.NewClient("sk_custom");

        (await emulator.GetAsync("/v0/customers?organizationId=org_demo", custom)).Status.Should().Be(HttpStatusCode.OK);
        (await emulator.GetAsync("/v0/customers?organizationId=org_demo")).Status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_seed_file_replaces_the_seed_and_reset_returns_to_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            { "merchants": [ { "id": "org_acme", "name": "Acme", "email": "a@acme.test", "apiKey": "sk_acme",
              "products": [ { "id": "prod_x", "name": "X" } ],
              "billableMetrics": [ { "id": "bm_calls", "productId": "prod_x", "name": "Calls", "unit": "call", "unitPrice": "0.5" } ],
              "plans": [ { "id": "plan_x", "name": "X", "productId": "prod_x", "billingVersion": 0, "prices": [ { "billableMetricId": "bm_calls" } ] } ] } ] }
            """);
        try
        {
            await using var emulator = await TestEmulator.StartAsync(o => { o.SeedPath = path; o.ApiKey = null; });
            using var acme = emulator.NewClient("sk_acme");
            var created = await emulator.PostAsync("/v0/customers", new { merchantId = "org_acme", consumer = new { name = "A", email = "a@b.test", address = new { } } }, acme);

            created.Status.Should().Be(HttpStatusCode.Created);
            (await emulator.GetAsync("/v0/customers?organizationId=org_demo")).Status.Should().Be(HttpStatusCode.Unauthorized);
            (await emulator.PostAsync("/_emulator/reset")).Status.Should().Be(HttpStatusCode.OK);
            (await emulator.GetAsync("/v0/customers/" + (string)created.Body["customerId"]!, acme)).Status.Should().Be(HttpStatusCode.NotFound);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_seed_with_ids_the_spec_would_reject_is_refused_at_build()
    {
        var seed = new EmulatorSeed { Merchants = [new SeedMerchant { Id = "org_bad-id", ApiKey = "k" }] };

        FluentActions.Invoking(() => EmulatorApp.Build(new EmulatorOptions { Seed = seed }, configure: b => Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.UseTestServer(b.WebHost)))
            .Should().Throw<InvalidOperationException>().WithMessage("*org_bad-id*");
    }
}
