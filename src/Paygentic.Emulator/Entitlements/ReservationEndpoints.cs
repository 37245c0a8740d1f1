using System.Text.Json;
using Paygentic.Emulator.Customers;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;
using Paygentic.Emulator.Subscriptions;

namespace Paygentic.Emulator.Entitlements;

/// <summary>
/// Legacy (v0) entitlements: <c>POST /v0/entitlements</c> holds Σ quantity × unit price out of the available
/// balance; <c>GET /v0/entitlements/activeEntitlements</c> lists subscription-derived access.
/// </summary>
internal static class ReservationEndpoints
{
    /// <summary>
    /// activeEntitlements takes no paging parameters, so its <c>pagination.limit</c> is the API's fixed page size
    /// (10 in the spec's example), not the number of items.
    /// </summary>
    private const int ActiveEntitlementsPageSize = 10;

    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapPost("/v0/entitlements", context => CreateAsync(context, runtime));
        app.MapGet("/v0/entitlements/activeEntitlements", context => ListActive(context).WriteAsync(context));
    }

    private static async Task CreateAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var request = await RequestBody.ReadAsync(context, EmulatorJson.Default.CreateReservationRequest).ConfigureAwait(false);
        if (request is not null)
        {
            await Create(context.Caller(), request, runtime).WriteAsync(context).ConfigureAwait(false);
        }
    }

    /// <summary>A validated line: quantity null means "too large to be any affordable amount".</summary>
    private readonly record struct Line(string MetricId, decimal? Quantity, string? Price);

    private static Answer? Validate(CreateReservationRequest request, MerchantState merchant, out List<Line> lines)
    {
        lines = [];
        var tooLong = FieldLimits.First((request.MerchantId, FieldLimits.Id, "merchantId"), (request.CustomerId, FieldLimits.Id, "customerId"));
        for (var i = 0; tooLong is null && i < (request.EntitlementData?.Count ?? 0); i++)
        {
            tooLong = FieldLimits.Text(request.EntitlementData![i].BillableMetricId, FieldLimits.Id, $"entitlementData[{i}].billableMetricId");
        }

        if (tooLong is { } violation)
        {
            return violation.ToAnswer();
        }

        if (!Ids.Matches(request.MerchantId, "org"))
        {
            return Answer.Validation("merchantId", "is required and must be an org_ id", "REQUIRED");
        }

        if (!Ids.Matches(request.CustomerId, "cus"))
        {
            return Answer.Validation("customerId", "is required and must be a cus_ id", "REQUIRED");
        }

        if (request.EntitlementData is not { Count: > 0 } data)
        {
            return Answer.Validation("entitlementData", "needs at least one item", "REQUIRED");
        }

        if (request.MaxUses is < 1 or > 1000)
        {
            return Answer.Validation("maxUses", "must be from 1 to 1000", "OUT_OF_RANGE");
        }

        for (var i = 0; i < data.Count; i++)
        {
            var item = data[i];
            var field = $"entitlementData[{i}]";
            if (!Ids.Matches(item.BillableMetricId, "bm"))
            {
                return Answer.Validation(field + ".billableMetricId", "is required and must be a bm_ id", "REQUIRED");
            }

            if (item.Quantity is not { ValueKind: JsonValueKind.Number } quantity)
            {
                return Answer.Validation(field + ".quantity", "is required and must be a number", "REQUIRED");
            }

            decimal? value = quantity.TryGetDecimal(out var q) ? q : null;
            if (quantity.GetRawText().StartsWith('-') && value != 0)
            {
                return Answer.Validation(field + ".quantity", "must be at least 0", "OUT_OF_RANGE");
            }

            if (item.Price is not null && !Money.IsDecimalUsd(item.Price))
            {
                return Answer.Validation(field + ".price", "must be a decimal USD amount with at most 9 decimals", "INVALID_AMOUNT");
            }

            lines.Add(new Line(item.BillableMetricId!, value, item.Price));
        }

        return request.MerchantId != merchant.Id ? Answer.Forbidden("merchantId does not match the API key's merchant") : null;
    }

    private static Answer Create(MerchantFeature caller, CreateReservationRequest request, EmulatorRuntime runtime)
    {
        var (world, merchant) = caller;
        if (Validate(request, merchant, out var lines) is { } invalid)
        {
            return invalid;
        }

        var now = runtime.Now;
        lock (merchant.Gate)
        {
            var customer = CustomerDirectory.Find(world, merchant, request.CustomerId, out var forbidden);
            if (customer is null)
            {
                return forbidden ? Answer.Forbidden("The customer belongs to another merchant") : Answer.BadRequest("CUSTOMER_NOT_FOUND", "Customer not found");
            }

            foreach (var line in lines)
            {
                if (!merchant.Metrics.ContainsKey(line.MetricId))
                {
                    return Answer.BadRequest("BILLABLE_METRIC_NOT_FOUND", $"Billable metric '{line.MetricId}' not found");
                }
            }

            var subscription = SubscriptionLifecycle.ActivePricing(merchant, customer.Id, lines.Where(l => l.Price is null).Select(l => l.MetricId), out var anyActive);
            if (subscription is null)
            {
                return anyActive
                    ? Answer.BadRequest("METRIC_NOT_IN_PLAN", "The customer's active plan does not price every metric requested")
                    : Answer.BadRequest("NO_ACTIVE_SUBSCRIPTION", "The customer has no active subscription");
            }

            var prices = merchant.Plans[subscription.PlanId].Prices;
            var reserved = new List<ReservedMetric>(lines.Count);
            decimal total = 0;
            var affordable = true;
            foreach (var line in lines)
            {
                long unit;
                if (line.Price is null)
                {
                    unit = prices[line.MetricId].UnitPriceNanos;
                }
                else if (Money.TryParseUsd(line.Price, out unit) != Money.ParseResult.Ok)
                {
                    affordable = false;
                    break;
                }

                if (line.Quantity is not { } quantity || !TryAddProduct(ref total, quantity, unit))
                {
                    affordable = false;
                    break;
                }

                reserved.Add(new ReservedMetric(line.MetricId, line.Price ?? Money.ToUsd(unit), quantity));
            }

            // A fractional quantity may leave a fraction of a nanodollar: hold the next whole one.
            if (!affordable || !Money.TryMultiplyCeiling(total, 1, out var amount))
            {
                return InsufficientFunds();
            }

            var wallet = merchant.Wallets[customer.Id];
            wallet.ReleaseExpired(now);
            var reservation = new Reservation
            {
                Id = Ids.New("com"),
                CustomerId = customer.Id,
                MerchantId = merchant.Id,
                CreatedAt = now,
                ExpiresAt = now + runtime.Options.ReservationTtl,
                MaxUses = request.MaxUses ?? 1,
                Metrics = reserved,
                Amount = amount,
            };
            if (!wallet.TryHold(reservation))
            {
                return InsufficientFunds();
            }

            merchant.Reservations.Add(reservation.Id, reservation);
            world.Own(reservation.Id, merchant);
            return Answer.Json(StatusCodes.Status201Created, ToBody(reservation), EmulatorJson.Default.ReservationBody);
        }
    }

    private static bool TryAddProduct(ref decimal total, decimal quantity, long unitNanos)
    {
        try
        {
            total += quantity * unitNanos;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static Answer InsufficientFunds() =>
        Answer.BadRequest("INSUFFICIENT_FUNDS", "The customer's available balance does not cover this reservation");

    private static ReservationBody ToBody(Reservation r) => new(
        r.Id,
        "entitlement",
        r.Metrics.Select(m => new ReservedMetricBody(m.BillableMetricId, m.Price, m.Quantity)).ToList(),
        r.CreatedAt,
        r.CustomerId,
        r.ExpiresAt,
        r.MaxUses,
        r.MerchantId,
        "global",
        Money.ToDigits(r.Remaining),
        r.UsedCount);

    private static Answer ListActive(HttpContext context)
    {
        var (world, merchant) = context.Caller();
        var customerId = Query.Text(context, "customerId");
        var productId = Query.Text(context, "productId");
        var subscriptionId = Query.Text(context, "subscriptionId");
        if (FieldLimits.QueryText(context, ("customerId", FieldLimits.Id), ("productId", FieldLimits.Id), ("subscriptionId", FieldLimits.Id)) is { } tooLong)
        {
            return tooLong.ToAnswer();
        }

        if (!Ids.Matches(customerId, "cus"))
        {
            return Answer.Validation("customerId", "is required and must be a cus_ id", "REQUIRED");
        }

        lock (merchant.Gate)
        {
            var customer = CustomerDirectory.Find(world, merchant, customerId, out var forbidden);
            if (customer is null)
            {
                return forbidden ? Answer.Forbidden("The customer belongs to another merchant") : Answer.BadRequest("CUSTOMER_NOT_FOUND", "Customer not found");
            }

            var data = new List<ActiveEntitlementBody>();
            foreach (var s in merchant.SubscriptionsOf(customer.Id))
            {
                var plan = merchant.Plans[s.PlanId];
                if (s.Status == SubscriptionRecord.Active && (productId is null || plan.ProductId == productId) && (subscriptionId is null || s.Id == subscriptionId))
                {
                    data.Add(new ActiveEntitlementBody(s.AccessId, "entitlement", plan.Prices.Keys.ToList(), customer.Id, plan.Id, plan.ProductId, s.Id, s.ActivatedAt ?? s.CreatedAt));
                }
            }

            return Answer.Json(
                StatusCodes.Status200OK,
                new ActiveEntitlementListBody("list", data, new Pagination(ActiveEntitlementsPageSize, 0, data.Count)),
                EmulatorJson.Default.ActiveEntitlementListBody);
        }
    }
}
