using Paygentic.Emulator.Customers;
using Paygentic.Emulator.Entitlements;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Subscriptions;

/// <summary>Payment, activation and termination of subscriptions. Callers hold the merchant's lock.</summary>
internal static class SubscriptionLifecycle
{
    /// <summary>The outcome of paying a checkout session.</summary>
    internal enum PayResult { Paid, AlreadyPaid, Terminated, WalletOverflow }

    /// <summary>
    /// Pays the checkout: credits the prefund to the wallet once and activates the subscription. Paying again is
    /// a no-op, so a double-clicked Pay button never credits twice.
    /// </summary>
    public static PayResult Pay(World world, MerchantState merchant, SubscriptionRecord subscription, DateTimeOffset now)
    {
        if (subscription.Paid)
        {
            return PayResult.AlreadyPaid;
        }

        if (subscription.Status == SubscriptionRecord.Terminated)
        {
            return PayResult.Terminated;
        }

        var wallet = merchant.Wallets[subscription.CustomerId];
        if (subscription.WalletCharge > 0 &&
            !wallet.TryCreditPrefund(new PrefundEntry(subscription.Id, subscription.PaymentSessionId ?? "", subscription.WalletCharge, now)))
        {
            return PayResult.WalletOverflow;
        }

        subscription.Paid = true;
        Activate(world, merchant, subscription, now);
        return PayResult.Paid;
    }

    /// <summary>Makes the subscription active and provisions its plan's features as v1 entitlements.</summary>
    public static void Activate(World world, MerchantState merchant, SubscriptionRecord subscription, DateTimeOffset now)
    {
        subscription.Status = SubscriptionRecord.Active;
        subscription.ActivatedAt = now;
        subscription.UpdatedAt = now;
        var plan = merchant.Plans[subscription.PlanId];
        foreach (var planFeature in plan.Features)
        {
            var entitlement = new FeatureEntitlement
            {
                Id = Ids.New("ent"),
                CustomerId = subscription.CustomerId,
                Feature = merchant.Features[planFeature.FeatureId],
                SubscriptionId = subscription.Id,
                ActiveFrom = now,
                ActiveTo = subscription.EndingAt,
                IncludedUnits = planFeature.IncludedUnits,
                IsSoftLimit = planFeature.IsSoftLimit,
                UsagePeriod = planFeature.UsagePeriod,
                // Periods count from the subscription's start, not from when its checkout was paid.
                Anchor = subscription.StartedAt,
            };
            merchant.AddFeatureEntitlement(entitlement);
            world.Own(entitlement.Id, merchant);
        }
    }

    /// <summary>Ends the subscription and the access it provisioned.</summary>
    public static void Terminate(MerchantState merchant, SubscriptionRecord subscription, string reason, DateTimeOffset now)
    {
        subscription.Status = SubscriptionRecord.Terminated;
        subscription.TerminatedAt = now;
        subscription.TerminatedBy = merchant.Id;
        subscription.TerminationReason = reason;
        subscription.UpdatedAt = now;
        foreach (var entitlement in merchant.FeatureEntitlementsOf(subscription.CustomerId))
        {
            if (entitlement.SubscriptionId == subscription.Id && !entitlement.Canceled)
            {
                entitlement.Canceled = true;
                entitlement.ActiveTo = now;
            }
        }
    }

    /// <summary>The customer's first active subscription whose plan prices every metric given; null when none.</summary>
    public static SubscriptionRecord? ActivePricing(MerchantState merchant, string customerId, IEnumerable<string> metricIds, out bool anyActive)
    {
        anyActive = false;
        foreach (var subscription in merchant.SubscriptionsOf(customerId))
        {
            if (subscription.Status != SubscriptionRecord.Active)
            {
                continue;
            }

            anyActive = true;
            var prices = merchant.Plans[subscription.PlanId].Prices;
            if (metricIds.All(prices.ContainsKey))
            {
                return subscription;
            }
        }

        return null;
    }

    /// <summary>
    /// The wire form. <c>payment</c> is shown while the checkout is due, and on the create answer also when it was
    /// settled at once; once paid, reads, lists, termination and "already exists" leave it out, as the spec's
    /// examples of active subscriptions do.
    /// </summary>
    public static SubscriptionBody ToBody(SubscriptionRecord s, string baseUrl, bool showSettledPayment = false, MerchantState? includeCustomerOf = null, World? world = null)
    {
        PaymentBody? payment = null;
        if (s.PaymentSessionId is not null && !s.Paid && s.Status == SubscriptionRecord.PendingPayment)
        {
            payment = new PaymentBody(
                "pending",
                Money.ToUsd(s.WalletCharge),
                s.InvoiceId,
                s.PaymentSessionId,
                baseUrl + "/_emulator/checkout/" + s.PaymentSessionId,
                new PaymentBreakdownBody(Money.ToUsd(0), Money.ToUsd(s.WalletCharge)));
        }
        else if (s.Paid && showSettledPayment)
        {
            payment = new PaymentBody("paid", Money.ToUsd(s.WalletCharge), s.InvoiceId, null, null, null);
        }

        SubscriptionCustomerBody? customer = null;
        if (includeCustomerOf is { } merchant && world is not null)
        {
            var consumerName = "";
            var consumerEmail = "";
            var consumerId = "";
            if (merchant.Customers.TryGetValue(s.CustomerId, out var record))
            {
                (consumerId, consumerName, consumerEmail) = (record.ConsumerId, record.Name, record.Email);
            }

            customer = new SubscriptionCustomerBody(
                s.CustomerId,
                merchant.Id,
                new PartyBody(merchant.Id, merchant.Name, merchant.Email),
                new PartyBody(consumerId, consumerName, consumerEmail));
        }

        return new SubscriptionBody(
            s.Id,
            "subscription",
            s.MerchantId,
            s.PaymentTermDays,
            s.Metadata,
            s.Name,
            s.CustomerId,
            s.PlanId,
            s.Status,
            s.StartedAt,
            s.CreatedAt,
            s.UpdatedAt,
            s.AutoCharge,
            s.TaxExempt,
            s.EndingAt,
            s.EstimatedTaxRate,
            payment,
            s.PrefundAmount is { } prefund ? Money.ToDigits(prefund) : null,
            s.MinimumAccountBalance is { } minimum ? Money.ToDigits(minimum) : null,
            s.WalletId,
            s.TerminatedAt,
            s.TerminatedBy,
            s.TerminationReason,
            s.TestClockId,
            s.RenewalReminderEnabled,
            s.RenewalReminderDays,
            customer);
    }

    /// <summary>The tax rate a subscription estimates: 0 when exempt, else the customer's plan or default rate.</summary>
    public static decimal EstimatedTaxRate(CustomerRecord customer, string planId, bool taxExempt)
    {
        if (taxExempt || customer.TaxRates is null)
        {
            return 0;
        }

        return customer.TaxRates.TryGetValue(planId, out var planRate) ? planRate
            : customer.TaxRates.TryGetValue("default", out var rate) ? rate : 0;
    }
}
