using System.Net;
using System.Text.Json.Nodes;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

/// <summary>
/// Every limited field, one character over its limit (a 400 naming it, nothing stored) and exactly at it (accepted:
/// whatever the operation answers for that value, never a size error).
/// </summary>
public sealed class FieldLimitTests
{
    /// <summary>What a case needs: an emulator with a funded customer, its subscription and one usage event.</summary>
    public sealed record Ctx(TestEmulator Emulator, string Customer, string Subscription, string Usage);

    /// <summary>One limited field. <c>AtLimit</c> null: any answer but a size error.</summary>
    public sealed record LimitedField(string Field, int Limit, Func<Ctx, int, (HttpMethod Method, string Path, object? Body)> Build, HttpStatusCode? AtLimit);

    private static readonly HttpMethod Patch = HttpMethod.Patch;

    private static readonly Dictionary<string, LimitedField> Cases = new()
    {
        // POST /v0/customers
        ["customer merchantId"] = new("merchantId", 255, (_, n) => Post("/v0/customers", NewCustomer(merchantId: Id("org", n))), HttpStatusCode.Forbidden),
        ["customer consumerId"] = new("consumerId", 255, (_, n) => Post("/v0/customers", new { merchantId = "org_demo", consumerId = Id("org", n) }), HttpStatusCode.NotFound),
        ["customer name"] = new("consumer.name", 255, (_, n) => Post("/v0/customers", NewCustomer(name: Text(n))), HttpStatusCode.Created),
        ["customer email"] = new("consumer.email", 320, (_, n) => Post("/v0/customers", NewCustomer(email: Email(n))), HttpStatusCode.Created),
        ["customer phone"] = new("consumer.phone", 40, (_, n) => Post("/v0/customers", NewCustomer(phone: Text(n))), HttpStatusCode.Created),
        ["customer line1"] = new("consumer.address.line1", 255, (_, n) => Post("/v0/customers", NewCustomer(address: new { line1 = Text(n), country = "US" })), HttpStatusCode.Created),
        ["customer line2"] = new("consumer.address.line2", 255, (_, n) => Post("/v0/customers", NewCustomer(address: new { line2 = Text(n) })), HttpStatusCode.Created),
        ["customer city"] = new("consumer.address.city", 255, (_, n) => Post("/v0/customers", NewCustomer(address: new { city = Text(n) })), HttpStatusCode.Created),
        ["customer state"] = new("consumer.address.state", 255, (_, n) => Post("/v0/customers", NewCustomer(address: new { state = Text(n) })), HttpStatusCode.Created),
        ["customer zipCode"] = new("consumer.address.zipCode", 32, (_, n) => Post("/v0/customers", NewCustomer(address: new { zipCode = Text(n) })), HttpStatusCode.Created),
        ["customer taxId"] = new("taxId", 64, (_, n) => Post("/v0/customers", NewCustomer(taxId: Text(n))), HttpStatusCode.Created),
        ["customer externalId"] = new("externalId", 255, (_, n) => Post("/v0/customers", NewCustomer(externalId: Text(n))), HttpStatusCode.Created),
        ["customer taxRates key"] = new("consumer.taxRates", 255, (_, n) => Post("/v0/customers", NewCustomer(taxRates: new Dictionary<string, decimal> { [Text(n)] = 5 })), HttpStatusCode.Created),

        // GET /v0/customers and PATCH /v0/customers/{id}
        ["customer list name"] = new("name", 255, (_, n) => Get("/v0/customers?organizationId=org_demo&name=" + Text(n)), HttpStatusCode.OK),
        ["customer list email"] = new("email", 320, (_, n) => Get("/v0/customers?organizationId=org_demo&email=" + Text(n)), HttpStatusCode.OK),
        ["customer update id"] = new("id", 255, (_, n) => (Patch, "/v0/customers/" + Id("cus", n), new { taxId = "GB1" }), HttpStatusCode.NotFound),
        ["customer update taxId"] = new("taxId", 64, (c, n) => (Patch, "/v0/customers/" + c.Customer, new { taxId = Text(n) }), HttpStatusCode.OK),
        ["customer update externalId"] = new("externalId", 255, (c, n) => (Patch, "/v0/customers/" + c.Customer, new { externalId = Text(n) }), HttpStatusCode.OK),
        ["customer update taxRates key"] = new("taxRates", 255, (c, n) => (Patch, "/v0/customers/" + c.Customer, new { taxRates = new Dictionary<string, decimal> { [Text(n)] = 5 } }), HttpStatusCode.OK),

        // POST /v0/subscriptions, termination, portal, list
        ["subscription name"] = new("name", 255, (c, n) => Post("/v0/subscriptions", NewSubscription(c, name: Text(n))), HttpStatusCode.Created),
        ["subscription planId"] = new("planId", 255, (c, n) => Post("/v0/subscriptions", NewSubscription(c, planId: Id("plan", n))), HttpStatusCode.NotFound),
        ["subscription customerId"] = new("customerId", 255, (c, n) => Post("/v0/subscriptions", NewSubscription(c, customerId: Id("cus", n))), HttpStatusCode.NotFound),
        ["subscription testClockId"] = new("testClockId", 255, (c, n) => Post("/v0/subscriptions", NewSubscription(c, testClockId: Text(n))), HttpStatusCode.Created),
        ["subscription redirect"] = new("redirectUrls.onSuccess", 2048, (c, n) => Post("/v0/subscriptions", NewSubscription(c, redirect: Url(n))), HttpStatusCode.Created),
        ["subscription inline customer email"] = new("customer.email", 320, (_, n) => Post("/v0/subscriptions", InlineSubscription(Email(n))), HttpStatusCode.Created),
        ["subscription termination id"] = new("id", 255, (_, n) => Post($"/v0/subscriptions/{Id("sub", n)}/termination", new { reason = "r" }), HttpStatusCode.NotFound),
        ["subscription termination reason"] = new("reason", 1000, (c, n) => Post($"/v0/subscriptions/{c.Subscription}/termination", new { reason = Text(n) }), HttpStatusCode.OK),
        ["subscription portal id"] = new("id", 255, (_, n) => Post($"/v0/subscriptions/{Id("sub", n)}/portal", new { }), HttpStatusCode.NotFound),
        ["subscription list customerId"] = new("customerId", 255, (_, n) => Get("/v0/subscriptions?customerId=" + Id("cus", n)), HttpStatusCode.OK),

        // POST /v0/entitlements (reservations) and GET activeEntitlements
        ["reservation merchantId"] = new("merchantId", 255, (c, n) => Post("/v0/entitlements", Reservation(c.Customer, Id("org", n), "bm_basicsub")), HttpStatusCode.Forbidden),
        ["reservation customerId"] = new("customerId", 255, (_, n) => Post("/v0/entitlements", Reservation(Id("cus", n), "org_demo", "bm_basicsub")), HttpStatusCode.BadRequest),
        ["reservation metric"] = new("entitlementData[0].billableMetricId", 255, (c, n) => Post("/v0/entitlements", Reservation(c.Customer, "org_demo", Id("bm", n))), HttpStatusCode.BadRequest),
        ["active entitlements customerId"] = new("customerId", 255, (_, n) => Get("/v0/entitlements/activeEntitlements?customerId=" + Id("cus", n)), HttpStatusCode.BadRequest),

        // /v1/entitlements
        ["v1 issue customerId"] = new("customerId", 255, (_, n) => Post("/v1/entitlements", Issue(Id("cus", n))), HttpStatusCode.NotFound),
        ["v1 issue featureId"] = new("featureId", 255, (c, n) => Post("/v1/entitlements", Issue(c.Customer, featureId: Id("feat", n))), HttpStatusCode.NotFound),
        ["v1 issue subscriptionId"] = new("subscriptionId", 255, (c, n) => Post("/v1/entitlements", Issue(c.Customer, subscriptionId: Text(n))), HttpStatusCode.Created),
        ["v1 issue metadata entries"] = new("metadata", 50, (c, n) => Post("/v1/entitlements", Issue(c.Customer, metadata: Entries(n))), HttpStatusCode.Created),
        ["v1 issue metadata key"] = new("metadata", 40, (c, n) => Post("/v1/entitlements", Issue(c.Customer, metadata: new() { [Text(n)] = "v" })), HttpStatusCode.Created),
        ["v1 issue metadata value"] = new("metadata.k", 500, (c, n) => Post("/v1/entitlements", Issue(c.Customer, metadata: new() { ["k"] = Text(n) })), HttpStatusCode.Created),
        ["v1 get id"] = new("entitlementId", 255, (_, n) => Get("/v1/entitlements/" + Id("ent", n)), HttpStatusCode.NotFound),
        ["v1 list customerId"] = new("customerId", 255, (_, n) => Get("/v1/entitlements?customerId=" + Id("cus", n)), HttpStatusCode.BadRequest),

        // /v0/usage
        ["usage idempotencyKey"] = new("idempotencyKey", 255, (c, n) => Post("/v0/usage", Usage(c, key: Text(n))), HttpStatusCode.Created),
        ["usage customerId"] = new("customerId", 255, (c, n) => Post("/v0/usage", Usage(c, customerId: Id("cus", n))), null),
        ["usage merchantId"] = new("merchantId", 255, (c, n) => Post("/v0/usage", Usage(c, merchantId: Id("org", n))), HttpStatusCode.Forbidden),
        ["usage entitlementId"] = new("entitlementId", 255, (c, n) => Post("/v0/usage", Usage(c, entitlementId: Id("com", n))), null),
        ["usage metric"] = new("properties[0].billableMetricId", 255, (c, n) => Post("/v0/usage", Usage(c, metric: Id("bm", n))), null),
        ["usage metadata entries"] = new("metadata", 50, (c, n) => Post("/v0/usage", Usage(c, metadata: Entries(n))), HttpStatusCode.Created),
        ["usage metadata key"] = new("metadata", 40, (c, n) => Post("/v0/usage", Usage(c, metadata: new() { [Text(n)] = "v" })), HttpStatusCode.Created),
        ["usage metadata value"] = new("metadata.language", 500, (c, n) => Post("/v0/usage", Usage(c, metadata: new() { ["language"] = Text(n) })), HttpStatusCode.Created),
        ["usage list customerId"] = new("customerId", 255, (_, n) => Get($"/v0/usage?startTime=2026-01-01T00:00:00Z&endTime=2027-01-01T00:00:00Z&customerId={Id("cus", n)}"), HttpStatusCode.OK),
        ["usage refund id"] = new("id", 255, (_, n) => (Patch, "/v0/usage/" + Id("usg", n), new { refunded = true }), HttpStatusCode.NotFound),
        ["usage refund reason"] = new("reason", 1000, (c, n) => (Patch, "/v0/usage/" + c.Usage, new { refunded = true, reason = Text(n) }), HttpStatusCode.OK),

        // POST /v0/events
        ["event type"] = new("type", 255, (c, n) => Post("/v0/events", Event(c, type: Text(n))), HttpStatusCode.UnprocessableEntity),
        ["event source"] = new("source", 2048, (c, n) => Post("/v0/events", Event(c, source: Url(n))), HttpStatusCode.Accepted),
        ["event subject"] = new("subject", 255, (c, n) => Post("/v0/events", Event(c, subject: Id("cus", n))), HttpStatusCode.Accepted),
        ["event namespace"] = new("namespace", 255, (c, n) => Post("/v0/events", Event(c, @namespace: Id("org", n))), HttpStatusCode.Forbidden),
        ["event idempotencyKey"] = new("idempotencyKey", 255, (c, n) => Post("/v0/events", Event(c, key: Text(n))), HttpStatusCode.Accepted),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_field_over_its_limit_is_a_400_naming_it_that_stores_nothing_and_one_at_the_limit_is_accepted(string name)
    {
        var limited = Cases[name];
        await using var emulator = await TestEmulator.StartAsync();
        var ctx = await ContextAsync(emulator);

        var before = await SnapshotAsync(ctx);
        var (method, path, body) = limited.Build(ctx, limited.Limit + 1);
        var over = await emulator.SendAsync(method, path, body);

        over.ShouldBeValidationError(limited.Field);
        over.Body["errors"]!.AsArray().Select(e => (string?)e!["code"]).Should().Contain("TOO_LONG");
        (await SnapshotAsync(ctx)).Should().Be(before, "a refused request stores nothing");

        (method, path, body) = limited.Build(ctx, limited.Limit);
        var (status, atLimit) = await emulator.SendAsync(method, path, body);

        status.Should().NotBe(HttpStatusCode.InternalServerError);
        atLimit["errors"]?.AsArray().Select(e => (string?)e!["code"]).Should().NotContain("TOO_LONG", atLimit.ToJsonString());
        if (limited.AtLimit is { } expected)
        {
            status.Should().Be(expected, atLimit.ToJsonString());
        }
    }

    [Fact]
    public async Task A_batch_item_over_a_limit_fails_alone()
    {
        await using var emulator = await TestEmulator.StartAsync();
        var ctx = await ContextAsync(emulator);

        var (status, body) = await emulator.PostAsync("/v0/usage/batch", new { events = new[] { Usage(ctx, key: Text(256)), Usage(ctx, key: Text(255)) } });

        status.Should().Be(HttpStatusCode.MultiStatus, body.ToJsonString());
        ((int)body["failed"]![0]!["index"]!).Should().Be(0);
        ((string)body["failed"]![0]!["error"]!).Should().Contain("events[0].idempotencyKey");
        body["successful"]!.AsArray().Should().ContainSingle();
    }

    [Theory]
    [InlineData("/v0/customers/")]
    [InlineData("/v0/subscriptions/")]
    [InlineData("/v0/usage/")]
    public async Task An_over_long_id_where_no_400_is_declared_is_a_404(string prefix)
    {
        await using var emulator = await TestEmulator.StartAsync();

        (await emulator.GetAsync(prefix + Text(256))).ShouldBeError(HttpStatusCode.NotFound);
        if (prefix == "/v0/customers/")
        {
            (await emulator.SendAsync(HttpMethod.Delete, prefix + Text(256))).ShouldBeError(HttpStatusCode.NotFound);
        }
    }

    private static async Task<Ctx> ContextAsync(TestEmulator emulator)
    {
        var (customer, subscription) = await emulator.FundedCustomerAsync();
        var (status, usage) = await emulator.UsageAsync(customer, "setup");
        status.Should().Be(HttpStatusCode.Created, usage.ToJsonString());
        return new Ctx(emulator, customer, subscription, (string)usage["id"]!);
    }

    /// <summary>Everything a request could have stored: customers, subscriptions, the ledger, usage, events, v1 entitlements.</summary>
    private static async Task<string> SnapshotAsync(Ctx c)
    {
        string[] reads =
        [
            "/v0/customers?organizationId=org_demo&limit=100",
            "/v0/subscriptions?limit=100",
            "/_emulator/ledger",
            $"/v0/usage?startTime=2000-01-01T00:00:00Z&endTime=2100-01-01T00:00:00Z&merchantId=org_demo&limit=100",
            "/_emulator/events/" + c.Customer,
            "/v1/entitlements?limit=100&customerId=" + c.Customer,
        ];
        var parts = new List<string>();
        foreach (var read in reads)
        {
            var (status, body) = await c.Emulator.GetAsync(read);
            status.Should().Be(HttpStatusCode.OK, read);
            parts.Add(body.ToJsonString());
        }

        return string.Join('\n', parts);
    }

    private static string Text(int length) => new('a', length);

    private static string Id(string prefix, int length) => prefix + "_" + Text(length - prefix.Length - 1);

    private static string Email(int length) => Text(length - "@example.com".Length) + "@example.com";

    private static string Url(int length) => "https://example.com/" + Text(length - "https://example.com/".Length);

    private static Dictionary<string, string> Entries(int count) =>
        Enumerable.Range(0, count).ToDictionary(i => "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => "v");

    private static (HttpMethod, string, object?) Post(string path, object body) => (HttpMethod.Post, path, body);

    private static (HttpMethod, string, object?) Get(string path) => (HttpMethod.Get, path, null);

    private static object NewCustomer(
        string merchantId = "org_demo",
        string? name = null,
        string? email = null,
        string? phone = null,
        object? address = null,
        string? taxId = null,
        string? externalId = null,
        Dictionary<string, decimal>? taxRates = null) => new
        {
            merchantId,
            taxId,
            externalId,
            consumer = new
            {
                name = name ?? "Limit Tester",
                email = email ?? $"{Guid.NewGuid():N}@example.com",
                phone,
                address = address ?? new { country = "US", zipCode = "94105" },
                taxRates,
            },
        };

    private static object NewSubscription(Ctx c, string? name = null, string planId = "plan_standard", string? customerId = null, string? testClockId = null, string? redirect = null) => new
    {
        name = name ?? "Limits " + Guid.NewGuid().ToString("N"),
        planId,
        customerId = customerId ?? c.Customer,
        startedAt = TestEmulator.Start,
        testClockId,
        redirectUrls = redirect is null ? null : new { onSuccess = redirect },
    };

    private static object InlineSubscription(string email) => new
    {
        name = "Inline",
        planId = "plan_standard",
        startedAt = TestEmulator.Start,
        customer = new { name = "Inline Customer", email, address = new { country = "US", state = "CA", zipCode = "94105" } },
    };

    private static object Reservation(string customerId, string merchantId, string metric) =>
        new { customerId, merchantId, entitlementData = new[] { new { billableMetricId = metric, quantity = 1 } } };

    private static object Issue(string customerId, string featureId = "feat_submissions", string? subscriptionId = null, Dictionary<string, string>? metadata = null) => new
    {
        customerId,
        featureId,
        subscriptionId,
        metadata,
        template = new { type = "metered", usagePeriod = new { interval = "P1M" } },
    };

    private static object Usage(
        Ctx c, string? key = null, string? customerId = null, string merchantId = "org_demo", string? entitlementId = null, string metric = "bm_basicsub", Dictionary<string, string>? metadata = null) => new
        {
            customerId = customerId ?? c.Customer,
            merchantId,
            idempotencyKey = key ?? Guid.NewGuid().ToString("N"),
            timestamp = TestEmulator.Start,
            entitlementId,
            metadata,
            properties = new[] { new { billableMetricId = metric, quantity = 1 } },
        };

    private static object Event(Ctx c, string type = "code.submission", string source = "https://coderunner.example", string? subject = null, string? @namespace = null, string? key = null) => new
    {
        type,
        source,
        subject = subject ?? c.Customer,
        @namespace,
        idempotencyKey = key,
        data = new { language = "python" },
    };
}
