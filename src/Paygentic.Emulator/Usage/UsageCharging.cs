using Paygentic.Emulator.Customers;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;
using Paygentic.Emulator.Subscriptions;

namespace Paygentic.Emulator.Usage;

/// <summary>
/// Charging one usage event, exactly once per idempotency key. Validation that needs no state runs before the
/// lock; everything that reads or writes the ledger runs under the merchant's lock, so two concurrent requests
/// with one key cannot both charge.
/// </summary>
internal static class UsageCharging
{
    /// <summary>A refused event: the HTTP answer for a single create, the message for a batch's <c>failed[]</c>.</summary>
    internal sealed record Refusal(Answer Answer, string Message);

    /// <summary>The request-only checks; null when the request is well formed.</summary>
    public static Refusal? Validate(CreateUsageEventRequest request, MerchantState merchant, string prefix = "")
    {
        if (TooLong(request, prefix) is { } violation)
        {
            return new Refusal(violation.ToAnswer(), violation.Field + " " + violation.Message);
        }

        if (string.IsNullOrEmpty(request.IdempotencyKey))
        {
            return Invalid(prefix + "idempotencyKey", "is required");
        }

        if (string.IsNullOrEmpty(request.CustomerId))
        {
            return Invalid(prefix + "customerId", "is required");
        }

        if (string.IsNullOrEmpty(request.MerchantId))
        {
            return Invalid(prefix + "merchantId", "is required");
        }

        if (request.Timestamp is null)
        {
            return Invalid(prefix + "timestamp", "is required");
        }

        if (request.Properties is not { Count: > 0 } properties)
        {
            return Invalid(prefix + "properties", "needs at least one item");
        }

        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            var field = $"{prefix}properties[{i}]";
            if (string.IsNullOrEmpty(property.BillableMetricId))
            {
                return Invalid(field + ".billableMetricId", "is required");
            }

            if (property.Quantity is not >= 1)
            {
                return Invalid(field + ".quantity", "must be an integer of at least 1");
            }

            if (property.Price is not null && !Money.IsDecimalUsd(property.Price))
            {
                return Invalid(field + ".price", "must be a decimal USD amount with at most 9 decimals");
            }
        }

        if (request.EntitlementId is not null && !Ids.Matches(request.EntitlementId, "com") && !Ids.Matches(request.EntitlementId, "ent"))
        {
            return Invalid(prefix + "entitlementId", "must be a com_ (or ent_) id");
        }

        return request.MerchantId != merchant.Id
            ? new Refusal(Answer.Forbidden("merchantId does not match the API key's merchant"), "merchantId does not match the API key's merchant")
            : null;
    }

    /// <summary>Sizes first, so an over-long merchantId is named as such rather than refused as another merchant's.</summary>
    private static LimitViolation? TooLong(CreateUsageEventRequest request, string prefix)
    {
        var violation = FieldLimits.First(
                (request.IdempotencyKey, FieldLimits.IdempotencyKey, prefix + "idempotencyKey"),
                (request.CustomerId, FieldLimits.Id, prefix + "customerId"),
                (request.MerchantId, FieldLimits.Id, prefix + "merchantId"),
                (request.EntitlementId, FieldLimits.Id, prefix + "entitlementId"))
            ?? FieldLimits.Metadata(request.Metadata, prefix + "metadata");
        for (var i = 0; violation is null && i < (request.Properties?.Count ?? 0); i++)
        {
            violation = FieldLimits.Text(request.Properties![i].BillableMetricId, FieldLimits.Id, $"{prefix}properties[{i}].billableMetricId");
        }

        return violation;
    }

    /// <summary>
    /// Charges the event, or returns the event already charged under its idempotency key. Caller holds the
    /// merchant's lock. Refusals change nothing and are not remembered, so a retry after a top-up can succeed.
    /// </summary>
    public static UsageRecord? Charge(World world, MerchantState merchant, CreateUsageEventRequest request, DateTimeOffset now, out Refusal? refusal)
    {
        refusal = null;
        if (merchant.UsageByKey.TryGetValue(request.IdempotencyKey!, out var existing))
        {
            return existing;
        }

        var customer = CustomerDirectory.Find(world, merchant, request.CustomerId, out var forbidden);
        if (customer is null)
        {
            refusal = forbidden
                ? new Refusal(Answer.Forbidden("The customer belongs to another merchant"), "Customer belongs to another merchant")
                : Refuse("CUSTOMER_NOT_FOUND", "Customer not found");
            return null;
        }

        var properties = request.Properties!;
        foreach (var property in properties)
        {
            if (!merchant.Metrics.ContainsKey(property.BillableMetricId!))
            {
                refusal = Refuse("BILLABLE_METRIC_NOT_FOUND", $"Billable metric '{property.BillableMetricId}' not found");
                return null;
            }
        }

        var subscription = SubscriptionLifecycle.ActivePricing(
            merchant, customer.Id, properties.Where(p => p.Price is null).Select(p => p.BillableMetricId!), out var anyActive);
        if (subscription is null)
        {
            refusal = anyActive
                ? Refuse("METRIC_NOT_IN_PLAN", "The customer's active plan does not price every metric reported")
                : Refuse("NO_ACTIVE_SUBSCRIPTION", "The customer has no active subscription");
            return null;
        }

        if (!TryPrice(merchant.Plans[subscription.PlanId], properties, out var amount))
        {
            refusal = InsufficientFunds();
            return null;
        }

        Reservation? reservation = null;
        if (request.EntitlementId is { } reservationId && !merchant.Reservations.TryGetValue(reservationId, out reservation))
        {
            refusal = world.BelongsToAnother(reservationId, merchant)
                ? new Refusal(Answer.Forbidden("The entitlement belongs to another merchant"), "Entitlement belongs to another merchant")
                : Refuse("ENTITLEMENT_NOT_FOUND", $"Entitlement '{reservationId}' not found");
            return null;
        }

        if (reservation is not null && reservation.CustomerId != customer.Id)
        {
            refusal = Refuse("ENTITLEMENT_CUSTOMER_MISMATCH", "The entitlement was reserved for another customer");
            return null;
        }

        var wallet = merchant.Wallets[customer.Id];
        wallet.ReleaseExpired(now);
        if (wallet.Plan(amount, reservation) is not { } plan)
        {
            refusal = InsufficientFunds();
            return null;
        }

        var record = new UsageRecord
        {
            Id = Ids.New("usg"),
            IdempotencyKey = request.IdempotencyKey!,
            MerchantId = merchant.Id,
            CustomerId = customer.Id,
            ConsumerId = customer.ConsumerId,
            SubscriptionId = subscription.Id,
            EntitlementId = request.EntitlementId,
            Timestamp = request.Timestamp!.Value,
            CreatedAt = now,
            Properties = properties.Select(p => new UsagePropertyBody(p.BillableMetricId!, p.Quantity!.Value, p.Price)).ToArray(),
            Metadata = request.Metadata,
            Amount = plan.Amount,
            FromReservation = plan.FromReservation,
            FromBalance = plan.FromBalance,
            BillingEventId = Ids.New("bev"),
        };
        wallet.Apply(plan, reservation, record);
        merchant.UsageByKey.Add(record.IdempotencyKey, record);
        merchant.UsageById.Add(record.Id, record);
        merchant.UsageOrder.Add(record);
        world.Own(record.Id, merchant);
        return record;
    }

    /// <summary>Σ quantity × unit price with checked arithmetic: false when it cannot be represented (never wraps).</summary>
    private static bool TryPrice(Plan plan, List<UsagePropertyInput> properties, out long amount)
    {
        amount = 0;
        try
        {
            foreach (var property in properties)
            {
                long unit;
                if (property.Price is null)
                {
                    unit = plan.Prices[property.BillableMetricId!].UnitPriceNanos;
                }
                else if (Money.TryParseUsd(property.Price, out unit) != Money.ParseResult.Ok)
                {
                    return false;
                }

                amount = checked(amount + checked(property.Quantity!.Value * unit));
            }

            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    public static UsageEventBody ToBody(UsageRecord r) => new(
        r.Id,
        "usageEvent",
        r.SubscriptionId,
        r.CustomerId,
        r.MerchantId,
        r.ConsumerId,
        r.Properties,
        r.Timestamp,
        r.CreatedAt,
        r.IdempotencyKey,
        r.EntitlementId,
        r.Metadata,
        new BillingBody(r.BillingEventId, "USD", r.Amount, r.Amount, 0),
        r.Refunded ? new RefundBody(r.RefundReason, r.RefundedAt!.Value) : null);

    private static Refusal Invalid(string field, string message) => new(Answer.Validation(field, message), field + " " + message);

    private static Refusal Refuse(string code, string message) => new(Answer.BadRequest(code, message), message);

    private static Refusal InsufficientFunds() =>
        Refuse("INSUFFICIENT_FUNDS", "The reservation and the available balance together do not cover this usage");
}
