using System.Text.Json.Nodes;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Testing;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Tests.Integration;

/// <summary>The SDK against the real emulator (in-process): every client, real money semantics.</summary>
public class EmulatorIntegrationTests
{
    private static UsageReport Usage(string customerId, string key, string? reservation = null, long quantity = 1) => new()
    {
        CustomerId = customerId,
        IdempotencyKey = key,
        EntitlementId = reservation,
        Properties = [new UsageProperty { BillableMetricId = "bm_basicsub", Quantity = quantity }],
    };

    [Fact]
    public async Task Onboarding_creates_a_customer_once_and_a_pending_subscription_that_checkout_activates()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        using var client = emulator.CreateClient();
        var request = new CreateCustomerRequest { Consumer = new NewConsumer { Name = "Ada", Email = "ada@example.com", Address = new Address { Country = "US", ZipCode = "94105", State = "CA" } } };

        var first = await client.Customers.CreateAsync(request);
        var second = await client.Customers.CreateAsync(request);

        first.Created.Should().BeTrue();
        second.Created.Should().BeFalse();
        second.CustomerId.Should().Be(first.CustomerId);

        var subscription = await client.Subscriptions.CreateAsync(new CreateSubscriptionRequest { Name = "Ada Pro", PlanId = "plan_legacy", CustomerId = first.CustomerId, PrefundAmount = 25m });
        subscription.Subscription.Status.Should().Be(SubscriptionStatus.PendingPayment);
        var pending = subscription.Subscription.Payment.Should().BeOfType<PendingSubscriptionPayment>().Subject;

        await emulator.PayCheckoutAsync(pending.CheckoutUrl);

        (await client.Subscriptions.GetAsync(subscription.Subscription.Id)).Status.Should().Be(SubscriptionStatus.Active);
        (await emulator.GetLedgerAsync(first.CustomerId)).Balance.Should().Be(Nanodollars.FromUsd(25m));
        var customer = await client.Customers.GetAsync(first.CustomerId);
        customer.MerchantId.Should().Be("org_demo");
    }

    [Fact]
    public async Task Customers_can_be_listed_updated_and_deleted()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        using var client = emulator.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.Customers.CreateAsync(new CreateCustomerRequest { Consumer = new NewConsumer { Name = $"C{i}", Email = $"c{i}@example.com", Address = new Address { Country = "US" } } });
        }

        var all = new List<Customer>();
        await foreach (var c in client.Customers.ListAsync(new CustomerListOptions { Limit = 2 }))
        {
            all.Add(c);
        }

        all.Should().HaveCount(5);
        var updated = await client.Customers.UpdateAsync(all[0].Id, new UpdateCustomerRequest { ExternalId = "ext42" });
        updated.ExternalId.Should().Be("ext42");
        await client.Customers.DeleteAsync(all[1].Id);
        var gone = () => client.Customers.GetAsync(all[1].Id);
        await gone.Should().ThrowAsync<PaygenticNotFoundException>();
    }

    [Fact]
    public async Task A_reservation_then_usage_charges_from_the_hold_exactly_once_per_key()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        using var client = emulator.CreateClient();
        var customer = await emulator.OnboardCustomerAsync(prefundUsd: 1m);

        var reservation = await client.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = customer.CustomerId, Items = [new ReservationItem { BillableMetricId = "bm_basicsub", Quantity = 10 }], MaxUses = 10 });
        reservation.RemainingBalance.Should().Be(Nanodollars.FromUsd(0.10m));

        var first = await client.Usage.CreateAsync(Usage(customer.CustomerId, "op-1:usage", reservation.Id));
        var replay = await client.Usage.CreateAsync(Usage(customer.CustomerId, "op-1:usage", reservation.Id));

        replay.Id.Should().Be(first.Id);
        var ledger = await emulator.GetLedgerAsync(customer.CustomerId);
        ledger.Charges.Should().ContainSingle().Which.Amount.Should().Be(Nanodollars.FromUsd(0.01m));
        ledger.Held.Should().Be(Nanodollars.FromUsd(0.09m));
        ledger.InvariantHolds.Should().BeTrue();
        (await client.Usage.GetAsync(first.Id)).IdempotencyKey.Should().Be("op-1:usage");
    }

    [Fact]
    public async Task Insufficient_funds_and_missing_subscriptions_are_typed_errors_with_codes()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        using var client = emulator.CreateClient();
        var poor = await emulator.OnboardCustomerAsync(prefundUsd: 0.01m);
        var bare = await client.Customers.CreateAsync(new CreateCustomerRequest { Consumer = new NewConsumer { Name = "Bare", Email = "bare@example.com", Address = new Address { Country = "US" } } });

        var reserveTooMuch = () => client.Entitlements.CreateReservationAsync(new CreateReservationRequest { CustomerId = poor.CustomerId, Items = [new ReservationItem { BillableMetricId = "bm_premiumsub", Quantity = 1 }] });
        var chargeWithoutSubscription = () => client.Usage.CreateAsync(Usage(bare.CustomerId, "k1"));

        (await reserveTooMuch.Should().ThrowAsync<PaygenticBadRequestException>()).Which.Code.Should().Be("INSUFFICIENT_FUNDS");
        (await chargeWithoutSubscription.Should().ThrowAsync<PaygenticBadRequestException>()).Which.Code.Should().Be("NO_ACTIVE_SUBSCRIPTION");
    }

    [Fact]
    public async Task Batch_list_and_refund_round_trip_through_the_ledger()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        using var client = emulator.CreateClient();
        var customer = await emulator.OnboardCustomerAsync(prefundUsd: 0.05m);

        // Ten reports of $0.01 against $0.05: five fit, five are refused item by item (207).
        var result = await client.Usage.CreateBatchAsync(Enumerable.Range(0, 10).Select(i => Usage(customer.CustomerId, $"b-{i}")).ToList());

        result.IsPartial.Should().BeTrue();
        result.Successful.Should().HaveCount(5);
        result.Failed.Should().HaveCount(5).And.OnlyContain(f => f.Index >= 5);

        var listed = new List<UsageEvent>();
        await foreach (var e in client.Usage.ListAsync(new UsageListOptions { StartTime = DateTimeOffset.UtcNow.AddHours(-1), EndTime = DateTimeOffset.UtcNow.AddHours(1), CustomerId = customer.CustomerId, Limit = 2 }))
        {
            listed.Add(e);
        }

        listed.Should().HaveCount(5);
        var refunded = await client.Usage.RefundAsync(listed[0].Id, "test");
        refunded.Refund!.Reason.Should().Be("test");
        var again = () => client.Usage.RefundAsync(listed[0].Id, "test");
        await again.Should().ThrowAsync<PaygenticUnprocessableEntityException>();

        var ledger = await emulator.GetLedgerAsync(customer.CustomerId);
        ledger.Balance.Should().Be(Nanodollars.FromUsd(0.01m));
        ledger.InvariantHolds.Should().BeTrue();
    }

    [Fact]
    public async Task Standard_billing_checks_access_and_events_draw_the_balance_down()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        using var client = emulator.CreateClient();
        var customer = await emulator.OnboardCustomerAsync(planId: "plan_standard");

        var before = (await client.Entitlements.ListAccessPageAsync(new EntitlementAccessQuery { CustomerId = customer.CustomerId, FeatureKey = "submissions", ProductId = "prod_codeexec" })).Data.Single();
        before.HasAccess.Should().BeTrue();

        var evt = new MeterEvent { Type = "code.submission", Source = "https://tests.example", Subject = customer.CustomerId, Data = new JsonObject { ["language"] = "python" }, IdempotencyKey = "e-1" };
        await client.Events.IngestAsync(evt);
        await client.Events.IngestAsync(evt);

        var detail = await client.Entitlements.GetAsync(before.EntitlementId!);
        detail.UsageInPeriod.Should().Be(1m, "the second event repeats the key");
        detail.Balance.Should().Be(before.Balance - 1);

        var unknown = () => client.Events.IngestAsync(evt with { Type = "no.such.metric", IdempotencyKey = "e-2" });
        await unknown.Should().ThrowAsync<PaygenticInvalidEventTypeException>();
    }

    [Fact]
    public async Task Portal_link_and_termination_work_end_to_end()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        using var client = emulator.CreateClient();
        var customer = await emulator.OnboardCustomerAsync();

        var portal = await client.Subscriptions.CreatePortalLinkAsync(customer.SubscriptionId, TimeSpan.FromMinutes(5));
        portal.Url.IsAbsoluteUri.Should().BeTrue();

        var active = await client.Entitlements.ListActiveAsync(customer.CustomerId);
        active.Should().NotBeEmpty();
        var page = await client.Subscriptions.ListPageAsync(new SubscriptionListOptions { CustomerId = customer.CustomerId });
        page.Data.Should().ContainSingle();

        var terminated = await client.Subscriptions.TerminateAsync(customer.SubscriptionId, "done");
        terminated.Status.Should().Be(SubscriptionStatus.Terminated);
    }

    [Fact]
    public async Task A_wrong_key_is_an_authentication_error()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        using var client = emulator.CreateClient(o => o.ApiKey = "sk_test_wrong");

        var act = () => client.Customers.GetAsync("cus_any");

        var ex = (await act.Should().ThrowAsync<PaygenticAuthenticationException>()).Which;
        ex.Message.Should().NotContain("sk_test_wrong");
    }

    [Fact]
    public async Task A_charge_whose_answer_is_lost_is_retried_with_its_key_and_charged_once()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        // Enough retries that a run of aborts (30% each) cannot exhaust them: 0.3^9 per report.
        var attempts = 0;
        var options = emulator.CreateOptions();
        options.Retry.MaxRetries = 8;
        using var counting = new CountingHandler(emulator.CreateHandler(), () => Interlocked.Increment(ref attempts));
        using var client = new PaygenticClient(options, counting);
        var customer = await emulator.OnboardCustomerAsync();
        await emulator.SetFaultsAsync(new EmulatorFaults { Seed = 7, AbortAfterRate = 0.3, PathPrefix = "/v0/usage" });

        for (var i = 0; i < 20; i++)
        {
            await client.Usage.CreateAsync(Usage(customer.CustomerId, $"lost-{i}"));
        }

        await emulator.ClearFaultsAsync();
        attempts.Should().BeGreaterThan(20, "some charges were applied and their answers dropped, then retried");
        var ledger = await emulator.GetLedgerAsync(customer.CustomerId);
        ledger.Charges.Should().HaveCount(20);
        ledger.Charged.Should().Be(Nanodollars.FromUsd(0.20m));
    }

    private sealed class CountingHandler(HttpMessageHandler inner, Action onSend) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }
}
