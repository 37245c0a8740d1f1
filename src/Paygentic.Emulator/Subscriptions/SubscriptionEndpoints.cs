using Paygentic.Emulator.Customers;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Subscriptions;

/// <summary><c>/v0/subscriptions</c>: create with prefund and checkout, get, list, terminate, portal link.</summary>
internal static class SubscriptionEndpoints
{
    private static readonly TimeSpan DefaultPortalLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxPortalLifetime = TimeSpan.FromDays(7);

    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapPost("/v0/subscriptions", context => CreateAsync(context, runtime));
        app.MapGet("/v0/subscriptions", context => List(context).WriteAsync(context));
        app.MapGet("/v0/subscriptions/{id}", context => Get(context).WriteAsync(context));
        app.MapPost("/v0/subscriptions/{id}/termination", context => TerminateAsync(context, runtime));
        app.MapPost("/v0/subscriptions/{id}/portal", context => PortalAsync(context, runtime));
    }

    private static async Task CreateAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var request = await RequestBody.ReadAsync(context, EmulatorJson.Default.CreateSubscriptionRequest).ConfigureAwait(false);
        if (request is not null)
        {
            await Create(context, request, runtime).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private static Answer Create(HttpContext context, CreateSubscriptionRequest request, EmulatorRuntime runtime)
    {
        if (CreateSubscriptionValidation.Validate(request, out var prefund, out var minimum) is { } invalid)
        {
            return invalid;
        }

        var (world, merchant) = context.Caller();
        var now = runtime.Now;
        lock (merchant.Gate)
        {
            if (!merchant.Plans.TryGetValue(request.PlanId!, out var plan))
            {
                return world.BelongsToAnother(request.PlanId, merchant)
                    ? Answer.Forbidden("The plan belongs to another merchant")
                    : Answer.Error(StatusCodes.Status404NotFound, "not_found", "Plan not found", "PLAN_NOT_FOUND");
            }

            CustomerRecord? customer;
            if (request.CustomerId is not null)
            {
                customer = CustomerDirectory.Find(world, merchant, request.CustomerId, out var forbidden);
                if (customer is null)
                {
                    return forbidden
                        ? Answer.Forbidden("The customer belongs to another merchant")
                        : Answer.Error(StatusCodes.Status404NotFound, "not_found", "Customer not found", "CUSTOMER_NOT_FOUND");
                }
            }
            else
            {
                var found = CustomerDirectory.FindOrCreate(world, merchant, request.Customer!, null, null, now);
                if (found.Problem is not null)
                {
                    return found.Problem;
                }

                customer = found.Customer!;
            }

            // A retried identical request (same customer, plan, name and start) is the same subscription: 200.
            foreach (var existing in merchant.SubscriptionsOf(customer.Id))
            {
                if (existing.Status != SubscriptionRecord.Terminated && existing.PlanId == plan.Id && existing.Name == request.Name && existing.StartedAt == request.StartedAt)
                {
                    return Answer.Json(StatusCodes.Status200OK, SubscriptionLifecycle.ToBody(existing, Query.BaseUrl(context)), EmulatorJson.Default.SubscriptionBody);
                }
            }

            var wallet = merchant.Wallets[customer.Id];
            wallet.ReleaseExpired(now);
            var walletCharge = prefund ?? MinimumTopUp(minimum, wallet.Balance);
            var subscription = new SubscriptionRecord
            {
                Id = Ids.New("sub"),
                MerchantId = merchant.Id,
                CustomerId = customer.Id,
                PlanId = plan.Id,
                Name = request.Name!,
                Status = SubscriptionRecord.PendingPayment,
                StartedAt = request.StartedAt!.Value,
                EndingAt = request.EndingAt,
                CreatedAt = now,
                UpdatedAt = now,
                AutoCharge = request.AutoCharge ?? false,
                TaxExempt = request.TaxExempt ?? false,
                EstimatedTaxRate = SubscriptionLifecycle.EstimatedTaxRate(customer, plan.Id, request.TaxExempt ?? false),
                PrefundAmount = prefund,
                MinimumAccountBalance = minimum,
                WalletCharge = walletCharge,
                InvoiceId = "inv_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
                PaymentSessionId = walletCharge > 0 ? Ids.New("ps") : null,
                WalletId = wallet.WalletId,
                AccessId = Ids.New("ent"),
                TestClockId = request.TestClockId,
                RenewalReminderEnabled = request.RenewalReminderEnabled,
                RenewalReminderDays = request.RenewalReminderDays,
                SuccessRedirect = request.RedirectUrls?.OnSuccess,
                PaymentTermDays = request.PaymentTermDays ?? 0,
                Metadata = request.Metadata,
            };
            Register(world, merchant, subscription);

            if (subscription.PaymentSessionId is null)
            {
                // Nothing to pay: "Invoice 0" is settled synchronously.
                subscription.Paid = true;
                SubscriptionLifecycle.Activate(world, merchant, subscription, now);
            }
            else if (runtime.Options.AutoPay)
            {
                SubscriptionLifecycle.Pay(world, merchant, subscription, now);
            }

            // Only the create answer shows a settled payment (what was paid now); later reads omit it.
            return Answer.Json(StatusCodes.Status201Created, SubscriptionLifecycle.ToBody(subscription, Query.BaseUrl(context), showSettledPayment: true), EmulatorJson.Default.SubscriptionBody);
        }
    }

    /// <summary>The minimum-balance top-up: the shortfall, raised to the processor minimum of $1.</summary>
    private static long MinimumTopUp(long? minimum, long balance)
    {
        if (minimum is not { } target || target <= balance)
        {
            return 0;
        }

        return Math.Max(target - balance, Money.NanosPerUsd);
    }

    private static void Register(World world, MerchantState merchant, SubscriptionRecord subscription)
    {
        merchant.Subscriptions.Add(subscription.Id, subscription);
        merchant.SubscriptionOrder.Add(subscription);
        if (!merchant.SubscriptionsByCustomer.TryGetValue(subscription.CustomerId, out var list))
        {
            merchant.SubscriptionsByCustomer[subscription.CustomerId] = list = [];
        }

        list.Add(subscription);
        world.Own(subscription.Id, merchant);
        world.Own(subscription.AccessId, merchant);
        if (subscription.PaymentSessionId is { } session)
        {
            merchant.SubscriptionsByPaymentSession.Add(session, subscription);
            world.Own(session, merchant);
        }
    }

    private static SubscriptionRecord? Find(HttpContext context, out Answer? problem)
    {
        var (world, merchant) = context.Caller();
        var id = Query.RouteId(context);
        problem = null;
        if (merchant.Subscriptions.TryGetValue(id, out var subscription))
        {
            return subscription;
        }

        problem = world.BelongsToAnother(id, merchant) ? Answer.Forbidden("The subscription belongs to another merchant") : Answer.NotFound("Subscription");
        return null;
    }

    private static Answer Get(HttpContext context)
    {
        var merchant = context.Caller().Merchant;
        lock (merchant.Gate)
        {
            var subscription = Find(context, out var problem);
            return problem ?? Answer.Json(StatusCodes.Status200OK, SubscriptionLifecycle.ToBody(subscription!, Query.BaseUrl(context)), EmulatorJson.Default.SubscriptionBody);
        }
    }

    private static Answer List(HttpContext context)
    {
        var (world, merchant) = context.Caller();
        var (limit, offset, problem) = Query.Paging(context);
        var merchantId = Query.Text(context, "merchantId");
        var customerId = Query.Text(context, "customerId");
        var consumerId = Query.Text(context, "consumerId");
        var status = Query.Text(context, "status");
        var include = Query.Text(context, "include");
        var startedBefore = Query.DateTime(context, "startedBefore", out var dateProblem);
        problem ??= FieldLimits.QueryText(context, ("merchantId", FieldLimits.Id), ("customerId", FieldLimits.Id), ("consumerId", FieldLimits.Id))?.ToAnswer();
        problem ??= dateProblem;
        if (status is not null and not (SubscriptionRecord.Active or SubscriptionRecord.Terminated or SubscriptionRecord.PendingPayment))
        {
            problem ??= Answer.Validation("status", "must be active, terminated or pending_payment", "INVALID_ENUM");
        }

        if (include is not null and not "customer")
        {
            problem ??= Answer.Validation("include", "must be customer", "INVALID_ENUM");
        }

        if (problem is not null)
        {
            return problem;
        }

        if (merchantId is not null && merchantId != merchant.Id)
        {
            return Answer.Forbidden("merchantId does not match the API key's merchant");
        }

        if (world.BelongsToAnother(customerId, merchant))
        {
            return Answer.Forbidden("The customer belongs to another merchant");
        }

        lock (merchant.Gate)
        {
            var baseUrl = Query.BaseUrl(context);
            var matches = merchant.SubscriptionOrder
                .Where(s => (customerId is null || s.CustomerId == customerId)
                    && (status is null || s.Status == status)
                    && (startedBefore is null || s.StartedAt <= startedBefore)
                    && (consumerId is null || (merchant.Customers.TryGetValue(s.CustomerId, out var c) && c.ConsumerId == consumerId)))
                .Select(s => SubscriptionLifecycle.ToBody(s, baseUrl, includeCustomerOf: include is null ? null : merchant, world: world))
                .ToList();
            var (page, pagination) = Paging.Slice(matches, limit, offset);
            return Answer.Json(StatusCodes.Status200OK, new SubscriptionListBody("list", page, pagination), EmulatorJson.Default.SubscriptionListBody);
        }
    }

    private static async Task TerminateAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var request = await RequestBody.ReadAsync(context, EmulatorJson.Default.TerminateSubscriptionRequest).ConfigureAwait(false);
        if (request is not null)
        {
            await Terminate(context, request, runtime.Now).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private static Answer Terminate(HttpContext context, TerminateSubscriptionRequest request, DateTimeOffset now)
    {
        if (FieldLimits.RouteId(context) is { } longId)
        {
            return longId.ToAnswer();
        }

        if (string.IsNullOrEmpty(request.Reason))
        {
            return Answer.Validation("reason", "is required", "REQUIRED");
        }

        if (FieldLimits.Text(request.Reason, FieldLimits.Reason, "reason") is { } longReason)
        {
            return longReason.ToAnswer();
        }

        var merchant = context.Caller().Merchant;
        lock (merchant.Gate)
        {
            var subscription = Find(context, out var problem);
            if (problem is not null)
            {
                return problem;
            }

            if (subscription!.Status == SubscriptionRecord.Terminated)
            {
                return Answer.Conflict("The subscription is already terminated", "ALREADY_TERMINATED");
            }

            SubscriptionLifecycle.Terminate(merchant, subscription, request.Reason, now);
            return Answer.Json(StatusCodes.Status200OK, SubscriptionLifecycle.ToBody(subscription, Query.BaseUrl(context)), EmulatorJson.Default.SubscriptionBody);
        }
    }

    private static async Task PortalAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var request = await RequestBody.ReadAsync(context, EmulatorJson.Default.PortalRequest, optional: true).ConfigureAwait(false);
        if (request is not null)
        {
            await Portal(context, request, runtime).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private static Answer Portal(HttpContext context, PortalRequest request, EmulatorRuntime runtime)
    {
        if (FieldLimits.RouteId(context) is { } longId)
        {
            return longId.ToAnswer();
        }

        var now = runtime.Now;
        var lifetime = DefaultPortalLifetime;
        if (request.ExpiresIn is not null)
        {
            if (!IsoDuration.TryParse(request.ExpiresIn, out var duration) || !duration.IsPositive)
            {
                return Answer.Validation("expiresIn", "must be a positive ISO-8601 duration such as PT10M", "INVALID_DURATION");
            }

            lifetime = duration.AddTo(now, 1) - now;
            if (lifetime > MaxPortalLifetime)
            {
                return Answer.Validation("expiresIn", "must be at most P7D", "OUT_OF_RANGE");
            }
        }

        var (world, merchant) = context.Caller();
        SubscriptionRecord subscription;
        lock (merchant.Gate)
        {
            var found = Find(context, out var problem);
            if (problem is not null)
            {
                return problem;
            }

            subscription = found!;
        }

        var token = Ids.New("pt")[3..];
        var expiresAt = now + lifetime;
        world.Portals[token] = new PortalSession(token, merchant, subscription.Id, subscription.CustomerId, expiresAt);
        var url = Query.BaseUrl(context) + "/_emulator/portal/" + token;
        return Answer.Json(StatusCodes.Status200OK, new SubscriptionPortalBody("subscriptionPortal", url, expiresAt), EmulatorJson.Default.SubscriptionPortalBody);
    }
}
