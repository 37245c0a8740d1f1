using System.Text.Json;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.State;
using Paygentic.Emulator.Subscriptions;

namespace Paygentic.Emulator.Customers;

/// <summary><c>/v0/customers</c>: create (201 new, 200 same e-mail, 409 taken externalId), get, list, update, delete.</summary>
internal static class CustomerEndpoints
{
    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapPost("/v0/customers", context => CreateAsync(context, runtime));
        app.MapGet("/v0/customers", context => List(context).WriteAsync(context));
        app.MapGet("/v0/customers/{id}", context => Get(context).WriteAsync(context));
        app.MapMethods("/v0/customers/{id}", ["PATCH"], context => UpdateAsync(context, runtime));
        app.MapDelete("/v0/customers/{id}", context => Delete(context, runtime.Now).WriteAsync(context));
    }

    private static async Task CreateAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var request = await RequestBody.ReadAsync(context, EmulatorJson.Default.CreateCustomerRequest).ConfigureAwait(false);
        if (request is null)
        {
            return;
        }

        await Create(context.Caller(), request, runtime.Now).WriteAsync(context).ConfigureAwait(false);
    }

    private static Answer Create(MerchantFeature caller, CreateCustomerRequest request, DateTimeOffset now)
    {
        // Sizes first: an over-long merchantId must be named as such, not refused as another merchant's.
        var tooLong = FieldLimits.First(
                (request.MerchantId, FieldLimits.Id, "merchantId"),
                (request.ConsumerId, FieldLimits.Id, "consumerId"),
                (request.TaxId, FieldLimits.TaxId, "taxId"),
                (request.ExternalId, FieldLimits.ExternalId, "externalId"))
            ?? FieldLimits.IdKeys(request.TaxRates, "taxRates");
        if (tooLong is { } violation)
        {
            return violation.ToAnswer();
        }

        if (!Ids.Matches(request.MerchantId, "org"))
        {
            return Answer.Validation("merchantId", "is required and must be an org_ id", "REQUIRED");
        }

        var (world, merchant) = caller;
        if (request.MerchantId != merchant.Id)
        {
            return Answer.Forbidden("merchantId does not match the API key's merchant");
        }

        if (request.Consumer is null && request.ConsumerId is null)
        {
            return Answer.Validation("consumer", "consumer or consumerId is required", "REQUIRED");
        }

        var invalid = request.Consumer is not null
            ? CustomerDirectory.Validate(request.Consumer, "consumer", addressNeedsCountryAndZip: false)
            : CustomerDirectory.ValidateTaxRates(request.TaxRates, "taxRates");
        if (invalid is not null)
        {
            return invalid;
        }

        lock (merchant.Gate)
        {
            CustomerDirectory.FindOrCreateResult result;
            if (request.Consumer is { } consumer)
            {
                result = CustomerDirectory.FindOrCreate(world, merchant, WithTaxRates(consumer, request.TaxRates), request.ExternalId, request.TaxId, now);
            }
            else if (world.ConsumersById.TryGetValue(request.ConsumerId!, out var known))
            {
                var input = new ConsumerInput { Name = known.Name, Email = known.Email, Phone = known.Phone, Address = known.Address, TaxRates = request.TaxRates };
                result = CustomerDirectory.FindOrCreate(world, merchant, input, request.ExternalId, request.TaxId, now);
            }
            else
            {
                return Answer.NotFound("Consumer " + request.ConsumerId);
            }

            if (result.Problem is not null)
            {
                return result.Problem;
            }

            var body = new CreateCustomerResponse(result.Customer!.Id, result.Customer.TaxAddressCheck());
            return Answer.Json(result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, body, EmulatorJson.Default.CreateCustomerResponse);
        }
    }

    private static ConsumerInput WithTaxRates(ConsumerInput consumer, Dictionary<string, decimal>? taxRates) =>
        taxRates is null ? consumer : new ConsumerInput { Name = consumer.Name, Email = consumer.Email, Phone = consumer.Phone, Address = consumer.Address, TaxRates = taxRates };

    private static Answer Get(HttpContext context)
    {
        var (world, merchant) = context.Caller();
        var id = Query.RouteId(context);
        lock (merchant.Gate)
        {
            var customer = CustomerDirectory.Find(world, merchant, id, out var forbidden);
            return customer is not null
                ? Answer.Json(StatusCodes.Status200OK, CustomerDirectory.ToBody(customer), EmulatorJson.Default.CustomerBody)
                : forbidden ? Answer.Forbidden("The customer belongs to another merchant") : Answer.NotFound("Customer");
        }
    }

    private static Answer List(HttpContext context)
    {
        var (_, merchant) = context.Caller();
        var organizationId = Query.Text(context, "organizationId");
        var tooLong = FieldLimits.QueryText(
            context, ("organizationId", FieldLimits.Id), ("name", FieldLimits.Name), ("email", FieldLimits.Email), ("externalId", FieldLimits.ExternalId));
        if (tooLong is { } violation)
        {
            return violation.ToAnswer();
        }

        if (!Ids.Matches(organizationId, "org"))
        {
            return Answer.Validation("organizationId", "is required and must be an org_ id", "REQUIRED");
        }

        if (organizationId != merchant.Id)
        {
            return Answer.Forbidden("organizationId does not match the API key's merchant");
        }

        var (limit, offset, problem) = Query.Paging(context);
        if (problem is not null)
        {
            return problem;
        }

        var name = Query.Text(context, "name");
        var email = Query.Text(context, "email");
        var externalId = Query.Text(context, "externalId");
        if (name is { Length: < 3 } || email is { Length: < 3 })
        {
            return Answer.Validation(name is { Length: < 3 } ? "name" : "email", "must be at least 3 characters", "TOO_SHORT");
        }

        lock (merchant.Gate)
        {
            var matches = merchant.CustomerOrder
                .Where(c => (name is null || c.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
                    && (email is null || c.Email.Contains(email, StringComparison.OrdinalIgnoreCase))
                    && (externalId is null || c.ExternalId == externalId))
                .Select(CustomerDirectory.ToBody)
                .ToList();
            var (page, pagination) = Paging.Slice(matches, limit, offset);
            return Answer.Json(StatusCodes.Status200OK, new CustomerListBody("list", page, pagination), EmulatorJson.Default.CustomerListBody);
        }
    }

    private static async Task UpdateAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var (document, failed) = await RequestBody.ReadDocumentAsync(context, optional: false).ConfigureAwait(false);
        if (failed || document is null)
        {
            return;
        }

        using (document)
        {
            var patch = CustomerPatch.Parse(document.RootElement, out var problem);
            problem ??= FieldLimits.RouteId(context)?.ToAnswer();
            await (problem ?? Update(context, patch!, runtime.Now)).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private static Answer Update(HttpContext context, CustomerPatch patch, DateTimeOffset now)
    {
        var (world, merchant) = context.Caller();
        lock (merchant.Gate)
        {
            var customer = CustomerDirectory.Find(world, merchant, Query.RouteId(context), out var forbidden);
            if (customer is null)
            {
                return forbidden ? Answer.Forbidden("The customer belongs to another merchant") : Answer.NotFound("Customer");
            }

            if (patch.ExternalIdSet && patch.ExternalId is not null &&
                merchant.CustomersByExternalId.TryGetValue(patch.ExternalId, out var holder) && holder != customer)
            {
                return Answer.Conflict($"A customer with externalId '{patch.ExternalId}' already exists", "EXTERNAL_ID_TAKEN");
            }

            patch.ApplyTo(customer, merchant);
            customer.UpdatedAt = now;
            return Answer.Json(StatusCodes.Status200OK, CustomerDirectory.ToBody(customer), EmulatorJson.Default.CustomerBody);
        }
    }

    private static Answer Delete(HttpContext context, DateTimeOffset now)
    {
        var (world, merchant) = context.Caller();
        lock (merchant.Gate)
        {
            var customer = CustomerDirectory.Find(world, merchant, Query.RouteId(context), out var forbidden);
            if (customer is null)
            {
                return forbidden ? Answer.Forbidden("The customer belongs to another merchant") : Answer.NotFound("Customer");
            }

            var blockers = new List<DeleteBlocker>();
            var liveSubscriptions = merchant.SubscriptionsOf(customer.Id)
                .Where(s => s.Status != SubscriptionRecord.Terminated)
                .Select(s => new DeleteBlockerItem(s.Id, s.Status))
                .ToList();
            if (liveSubscriptions.Count > 0)
            {
                blockers.Add(new DeleteBlocker("subscriptions", liveSubscriptions.Count, liveSubscriptions));
            }

            var wallet = merchant.Wallets[customer.Id];
            wallet.ReleaseExpired(now);
            var holds = wallet.ActiveReservations.Select(r => new DeleteBlockerItem(r.Id, "active")).ToList();
            if (holds.Count > 0)
            {
                blockers.Add(new DeleteBlocker("entitlements", holds.Count, holds));
            }

            if (blockers.Count > 0)
            {
                var body = new DeleteConflictBody("conflict", "Customer cannot be deleted due to active dependencies", new DeleteConflictDetails(blockers));
                return Answer.Json(StatusCodes.Status409Conflict, body, EmulatorJson.Default.DeleteConflictBody);
            }

            merchant.Customers.Remove(customer.Id);
            merchant.CustomerOrder.Remove(customer);
            merchant.CustomersByEmail.Remove(customer.Email);
            if (customer.ExternalId is not null)
            {
                merchant.CustomersByExternalId.Remove(customer.ExternalId);
            }

            return Answer.NoContent;
        }
    }
}
