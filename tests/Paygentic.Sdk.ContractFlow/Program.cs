using System.Text.Json.Nodes;
using Paygentic.Sdk;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Usage;

// Every client call of the SDK, success and error paths, against the server at PAYGENTIC_BASE_URL (the emulator
// behind the contract proxy in CI). Exits non-zero at the first surprise.
// With the argument `newer` (run under the 2026-08-06 contract) it skips the legacy v0 calls that file no longer
// has, and adds the calls only that file accepts (an event by external subject, entitlements by external customer id).
var newer = args is ["newer"];
if (args.Length > 0 && !newer)
{
    Console.Error.WriteLine("usage: Paygentic.Sdk.ContractFlow [newer]");
    return 2;
}

var options = new PaygenticOptions { ApiKey = "sk_test_emulator", MerchantId = "org_demo" };
PaygenticEnvironmentVariables.ApplyTo(options);
using var client = new PaygenticClient(options);
var run = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
var steps = 0;

async Task Step(string name, Func<Task> action)
{
    await action();
    steps++;
    Console.WriteLine($"ok  {name}");
}

async Task Fails<TException>(string name, Func<Task> action)
    where TException : Exception
{
    try
    {
        await action();
    }
    catch (TException)
    {
        steps++;
        Console.WriteLine($"ok  {name} (refused as expected: {typeof(TException).Name})");
        return;
    }

    throw new InvalidOperationException($"{name}: expected {typeof(TException).Name}");
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }
}

var consumer = new NewConsumer { Name = "Contract Flow", Email = $"flow{run}@example.com", Address = new Address { Country = "US", State = "CA", ZipCode = "94105" } };
string customerId = "", subscriptionId = "", spareId = "";
await Step("customer create", async () => customerId = (await client.Customers.CreateAsync(new CreateCustomerRequest { Consumer = consumer, ExternalId = $"flow{run}" })).CustomerId);
await Step("customer create again (200)", async () => Check(!(await client.Customers.CreateAsync(new CreateCustomerRequest { Consumer = consumer })).Created, "second create reports existing"));
await Step("spare customer", async () => spareId = (await client.Customers.CreateAsync(new CreateCustomerRequest { Consumer = consumer with { Email = $"spare{run}@example.com" } })).CustomerId);
await Step("customer get", async () => Check((await client.Customers.GetAsync(customerId)).Id == customerId, "get returns the customer"));
await Step("customer list", async () => Check((await client.Customers.ListPageAsync(new CustomerListOptions { Limit = 5 })).Data.Count > 0, "list has customers"));
await Step("customer update", async () => await client.Customers.UpdateAsync(customerId, new UpdateCustomerRequest { TaxId = "GB123456789" }));
await Step("customer delete", () => client.Customers.DeleteAsync(spareId));
await Fails<PaygenticNotFoundException>("customer get missing", () => client.Customers.GetAsync(spareId));

await Step("subscription create and checkout", async () =>
{
    var created = await client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = $"Flow {run}", PlanId = "plan_legacy", CustomerId = customerId, PrefundAmount = 1m, PaymentTermDays = 0, Metadata = new JsonObject { ["flow"] = "contract", ["run"] = run } });
    subscriptionId = created.Subscription.Id;
    Check(created.Created, "subscription created");
    Check(created.Subscription.MerchantId == "org_demo" && created.Subscription.PaymentTermDays == 0, "newer subscription fields read");
    if (created.Subscription.Payment is PendingSubscriptionPayment pending)
    {
        // The customer's browser pays at the checkout page; that page is the emulator's, not a Paygentic API path.
        using var browser = new HttpClient();
        using var paid = await browser.PostAsync(pending.CheckoutUrl, content: null);
        paid.EnsureSuccessStatusCode();
    }
});
await Step("subscription get", async () => Check((await client.Subscriptions.GetAsync(subscriptionId)).Status == SubscriptionStatus.Active, "subscription active after checkout"));
await Step("subscription list", async () => Check((await client.Subscriptions.ListPageAsync(new SubscriptionListOptions { CustomerId = customerId })).Data.Count == 1, "one subscription"));
await Step("portal link", async () => Check((await client.Subscriptions.CreatePortalLinkAsync(subscriptionId, TimeSpan.FromMinutes(5))).Url.IsAbsoluteUri, "portal url"));
if (!newer)
{
    await LegacyAsync();
}

// The legacy prepaid calls (v0 reservations and usage), which only the 2026-04-18 contract describes.
async Task LegacyAsync()
{
    await Step("active entitlements", async () => Check((await client.Entitlements.ListActiveAsync(customerId)).Count > 0, "active entitlement"));

    Reservation reservation = null!;
    await Step("reservation", async () => reservation = await client.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = customerId, Items = [new ReservationItem { BillableMetricId = "bm_basicsub", Quantity = 5 }, new ReservationItem { BillableMetricId = "bm_exectime", Quantity = 500.5m }], MaxUses = 5 }));
    await Fails<PaygenticBadRequestException>("reservation beyond the wallet", () => client.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = customerId, Items = [new ReservationItem { BillableMetricId = "bm_premiumsub", Quantity = 100 }] }));

    UsageEvent usage = null!;
    var report = new UsageReport { CustomerId = customerId, IdempotencyKey = $"flow{run}:usage", EntitlementId = reservation.Id, Properties = [new UsageProperty { BillableMetricId = "bm_basicsub", Quantity = 1 }, new UsageProperty { BillableMetricId = "bm_exectime", Quantity = 120 }], Metadata = new Dictionary<string, string> { ["language"] = "python" } };
    await Step("usage create", async () => usage = await client.Usage.CreateAsync(report));
    await Step("usage replay (same key)", async () => Check((await client.Usage.CreateAsync(report)).Id == usage.Id, "replay returns the same event"));
    await Step("usage get", async () => Check((await client.Usage.GetAsync(usage.Id)).IdempotencyKey == report.IdempotencyKey, "get usage"));
    await Step("usage batch", async () => Check((await client.Usage.CreateBatchAsync(Enumerable.Range(0, 3).Select(i => report with { IdempotencyKey = $"flow{run}:batch{i}", EntitlementId = null }).ToList())).Successful.Count == 3, "batch of three"));
    await Step("usage batch partial (207)", async () => Check((await client.Usage.CreateBatchAsync([report with { IdempotencyKey = $"flow{run}:big", EntitlementId = null, Properties = [new UsageProperty { BillableMetricId = "bm_premiumsub", Quantity = 1000 }] }, report with { IdempotencyKey = $"flow{run}:small", EntitlementId = null }])).IsPartial, "partial batch"));
    await Step("usage list", async () => Check((await client.Usage.ListPageAsync(new UsageListOptions { StartTime = DateTimeOffset.UtcNow.AddHours(-1), EndTime = DateTimeOffset.UtcNow.AddHours(1), CustomerId = customerId })).Data.Count >= 4, "usage listed"));
    await Step("usage refund", async () => Check((await client.Usage.RefundAsync(usage.Id, "contract flow")).Refund is not null, "refunded"));
    await Fails<PaygenticUnprocessableEntityException>("usage refund again", () => client.Usage.RefundAsync(usage.Id, "again"));
}

var standard = "";
await Step("standard customer", async () =>
{
    standard = (await client.Customers.CreateAsync(new CreateCustomerRequest { Consumer = consumer with { Email = $"std{run}@example.com" }, ExternalId = $"std{run}" })).CustomerId;
    await client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = $"Std {run}", PlanId = "plan_standard", CustomerId = standard });
});
EntitlementAccess access = null!;
await Step("access list", async () => access = (await client.Entitlements.ListAccessPageAsync(new EntitlementAccessQuery { CustomerId = standard, FeatureKey = "submissions", ProductId = "prod_codeexec" })).Data.Single());
await Step("event ingest", async () => await client.Events.IngestAsync(new MeterEvent { Type = "code.submission", Source = "https://contract.flow", Subject = standard, Data = new JsonObject { ["language"] = "bash" }, IdempotencyKey = $"flow{run}:event" }));
await Step("event ingest with an external subject too", async () => Check((await client.Events.IngestAsync(new MeterEvent { Type = "code.submission", Source = "https://contract.flow", Subject = standard, ExternalSubject = $"std{run}", ExternalId = $"x{run}", Data = [], IdempotencyKey = $"flow{run}:event2" })).Subject == standard, "subject wins"));
if (newer)
{
    await Step("event ingest by external subject alone", async () => Check((await client.Events.IngestAsync(new MeterEvent { Type = "code.submission", Source = "https://contract.flow", ExternalSubject = $"std{run}", Data = [], IdempotencyKey = $"flow{run}:event3" })).Subject == standard, "external subject resolved"));
    await Step("access list by external customer id", async () => Check((await client.Entitlements.ListAccessPageAsync(new EntitlementAccessQuery { ExternalCustomerId = $"std{run}", MerchantId = "org_demo" })).Data.Single().CustomerId == standard, "listed by external id"));
}

await Fails<PaygenticInvalidEventTypeException>("event with an unknown type", () => client.Events.IngestAsync(new MeterEvent { Type = "no.such.type", Source = "https://contract.flow", Subject = standard, Data = [] }));
await Step("entitlement get", async () => Check((await client.Entitlements.GetAsync(access.EntitlementId!)).UsageInPeriod == (newer ? 3 : 2), "one unit per event"));
await Fails<PaygenticConflictException>("entitlement issue when already entitled", () => client.Entitlements.IssueAsync(new IssueEntitlementRequest { CustomerId = standard, FeatureId = "feat_submissions", Template = EntitlementTemplate.ForMetered("P1M", 10) }));
await Step("subscription terminate", async () => Check((await client.Subscriptions.TerminateAsync(subscriptionId, "contract flow done")).Status == SubscriptionStatus.Terminated, "terminated"));

Console.WriteLine($"sdk contract flow{(newer ? " (newer)" : "")}: {steps} steps passed");
return 0;
