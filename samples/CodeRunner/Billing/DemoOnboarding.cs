using CodeRunner.Configuration;
using Paygentic.Sdk;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Subscriptions;

namespace CodeRunner.Billing;

/// <summary>
/// Onboards the demo user as a service would: create the customer (idempotent by e-mail), subscribe them to the plan
/// with a prefund, and get the checkout paid. Rerunning against the same server reuses the customer and an active
/// subscription of the plan instead of prefunding again.
/// </summary>
internal sealed class DemoOnboarding(IPaygenticClient paygentic, CheckoutFollower checkout, TextWriter log)
{
    public async Task<DemoAccount> OnboardAsync(string merchantId, string planId, SampleSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        CreateCustomerResult customer = await paygentic.Customers.CreateAsync(new CreateCustomerRequest
        {
            MerchantId = merchantId,
            Consumer = new NewConsumer
            {
                Name = "CodeRunner Demo",
                Email = settings.DemoEmail,
                Address = new Address { Country = "US", State = "CA", ZipCode = "94105" },
            },
        }, cancellationToken).ConfigureAwait(false);
        await log.WriteLineAsync($"Customer {customer.CustomerId} ({(customer.Created ? "created" : "already existed")}, {settings.DemoEmail})").ConfigureAwait(false);

        Subscription? active = await FindActiveAsync(customer.CustomerId, planId, cancellationToken).ConfigureAwait(false);
        if (active is not null)
        {
            await log.WriteLineAsync($"Subscription {active.Id} to {planId} is already active; reusing it (no new prefund)").ConfigureAwait(false);
            return new DemoAccount(customer.CustomerId, active.Id, 0m);
        }

        CreateSubscriptionResult created = await paygentic.Subscriptions.CreateAsync(new CreateSubscriptionRequest
        {
            Name = "CodeRunner demo",
            PlanId = planId,
            CustomerId = customer.CustomerId,
            StartedAt = DateTimeOffset.UtcNow,
            PrefundAmount = settings.PrefundUsd,
        }, cancellationToken).ConfigureAwait(false);
        Subscription subscription = created.Subscription;
        await log.WriteLineAsync($"Subscription {subscription.Id} to {planId}: {subscription.Status}, prefund ${settings.PrefundUsd}").ConfigureAwait(false);

        if (subscription.Status != SubscriptionStatus.Active)
        {
            if (subscription.Payment is not PendingSubscriptionPayment { CheckoutUrl: { } checkoutUrl })
            {
                throw new InvalidOperationException($"Subscription {subscription.Id} is {subscription.Status} without a checkout URL to pay it.");
            }

            await checkout.CompleteAsync(subscription.Id, checkoutUrl, cancellationToken).ConfigureAwait(false);
        }

        return new DemoAccount(customer.CustomerId, subscription.Id, settings.PrefundUsd);
    }

    private async Task<Subscription?> FindActiveAsync(string customerId, string planId, CancellationToken cancellationToken)
    {
        await foreach (Subscription subscription in paygentic.Subscriptions
            .ListAsync(new SubscriptionListOptions { CustomerId = customerId, Status = SubscriptionStatus.Active }, cancellationToken)
            .ConfigureAwait(false))
        {
            if (subscription.PlanId == planId && subscription.Status == SubscriptionStatus.Active)
            {
                return subscription;
            }
        }

        return null;
    }
}
