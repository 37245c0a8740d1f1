using System.Text.Json;
using Paygentic.Emulator.Customers;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Entitlements;

/// <summary>Standard-billing entitlements: <c>GET /v1/entitlements</c>, <c>GET /v1/entitlements/{id}</c>, <c>POST /v1/entitlements</c>.</summary>
internal static class FeatureEntitlementEndpoints
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>A JSON <c>null</c> that is written even though absent fields are omitted (a required, empty field).</summary>
    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapGet("/v1/entitlements", context => List(context, runtime.Now).WriteAsync(context));
        app.MapGet("/v1/entitlements/{entitlementId}", context => Get(context, runtime.Now).WriteAsync(context));
        app.MapPost("/v1/entitlements", context => IssueAsync(context, runtime));
    }

    private static Answer List(HttpContext context, DateTimeOffset now)
    {
        var (world, merchant) = context.Caller();
        var customerId = Query.Text(context, "customerId");
        var externalCustomerId = Query.Text(context, "externalCustomerId");
        var merchantId = Query.Text(context, "merchantId");
        var featureKey = Query.Text(context, "featureKey");
        var productId = Query.Text(context, "productId");
        var subscriptionId = Query.Text(context, "subscriptionId");
        var tooLong = FieldLimits.QueryText(
            context,
            ("customerId", FieldLimits.Id),
            ("externalCustomerId", FieldLimits.ExternalId),
            ("merchantId", FieldLimits.Id),
            ("featureKey", FieldLimits.Id),
            ("productId", FieldLimits.Id),
            ("subscriptionId", FieldLimits.Id));
        if (tooLong is { } violation)
        {
            return violation.ToAnswer();
        }

        // 2026-08-06 takes the merchant's own id (externalCustomerId) instead of a cus_ id: exactly one of the two.
        if ((customerId is null) == (externalCustomerId is null))
        {
            return Answer.Validation("customerId", "give exactly one of customerId and externalCustomerId", "REQUIRED");
        }

        if (customerId is not null && !Ids.Matches(customerId, "cus"))
        {
            return Answer.Validation("customerId", "must be a cus_ id", "INVALID_ID");
        }

        if (featureKey is not null && productId is null)
        {
            return Answer.Validation("productId", "is required when featureKey is given (feature keys are scoped to products)", "REQUIRED");
        }

        var (limit, offset, problem) = Query.Paging(context);
        var at = Query.DateTime(context, "at", out var atProblem) ?? now;
        if ((problem ?? atProblem) is { } invalid)
        {
            return invalid;
        }

        lock (merchant.Gate)
        {
            var forbidden = false;
            var customer = merchantId is not null && merchantId != merchant.Id ? null
                : customerId is not null ? CustomerDirectory.Find(world, merchant, customerId, out forbidden)
                : merchant.CustomersByExternalId.GetValueOrDefault(externalCustomerId!);
            if (customer is null)
            {
                // The spec has no 404 here; a customer outside the merchantId guard is "not found" like an unknown one.
                return forbidden ? Answer.Forbidden("The customer belongs to another merchant") : Answer.BadRequest("CUSTOMER_NOT_FOUND", "Customer not found");
            }

            var matches = merchant.FeatureEntitlementsOf(customer.Id)
                .Where(e => (featureKey is null || e.Feature.Key == featureKey)
                    && (productId is null || e.Feature.ProductId == productId)
                    && (subscriptionId is null || e.SubscriptionId == subscriptionId))
                .Select(e => ToAccessResult(e, at))
                .ToList();
            var (page, pagination) = Paging.Slice(matches, limit, offset);
            return Answer.Json(StatusCodes.Status200OK, new AccessResultListBody("list", page, pagination), EmulatorJson.Default.AccessResultListBody);
        }
    }

    private static Answer Get(HttpContext context, DateTimeOffset now)
    {
        var (world, merchant) = context.Caller();
        var id = Query.RouteId(context, "entitlementId");
        var at = Query.DateTime(context, "at", out var atProblem) ?? now;
        if ((FieldLimits.RouteId(context, "entitlementId")?.ToAnswer() ?? atProblem) is { } invalid)
        {
            return invalid;
        }

        lock (merchant.Gate)
        {
            if (!merchant.FeatureEntitlements.TryGetValue(id, out var entitlement))
            {
                return world.BelongsToAnother(id, merchant) ? Answer.Forbidden("The entitlement belongs to another merchant") : Answer.NotFound("Entitlement");
            }

            return Answer.Json(StatusCodes.Status200OK, ToDetail(entitlement, at), EmulatorJson.Default.EntitlementDetailBody);
        }
    }

    private static async Task IssueAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var request = await RequestBody.ReadAsync(context, EmulatorJson.Default.IssueEntitlementRequest).ConfigureAwait(false);
        if (request is not null)
        {
            await Issue(context.Caller(), request, runtime.Now).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private static Answer Issue(MerchantFeature caller, IssueEntitlementRequest request, DateTimeOffset now)
    {
        var tooLong = FieldLimits.First(
                (request.CustomerId, FieldLimits.Id, "customerId"),
                (request.FeatureId, FieldLimits.Id, "featureId"),
                (request.SubscriptionId, FieldLimits.Id, "subscriptionId"))
            ?? FieldLimits.Metadata(request.Metadata, "metadata");
        if (tooLong is { } violation)
        {
            return violation.ToAnswer();
        }

        if (!Ids.Matches(request.CustomerId, "cus"))
        {
            return Answer.Validation("customerId", "is required and must be a cus_ id", "REQUIRED");
        }

        if (!Ids.Matches(request.FeatureId, "feat"))
        {
            return Answer.Validation("featureId", "is required and must be a feat_ id", "REQUIRED");
        }

        if (EntitlementTemplate.Parse(request.Template, out var problem) is not { } template)
        {
            return problem!;
        }

        var (world, merchant) = caller;
        lock (merchant.Gate)
        {
            var customer = CustomerDirectory.Find(world, merchant, request.CustomerId, out var forbidden);
            if (customer is null)
            {
                return forbidden
                    ? Answer.Forbidden("The customer belongs to another merchant")
                    : Answer.Error(StatusCodes.Status404NotFound, "not_found", "Customer not found", "CUSTOMER_NOT_FOUND");
            }

            if (!merchant.Features.TryGetValue(request.FeatureId!, out var feature))
            {
                return world.BelongsToAnother(request.FeatureId, merchant)
                    ? Answer.Forbidden("The feature belongs to another merchant")
                    : Answer.Error(StatusCodes.Status404NotFound, "not_found", "Feature not found", "FEATURE_NOT_FOUND");
            }

            if (template.Type != feature.Type)
            {
                return Answer.BadRequest("TEMPLATE_MISMATCH", $"Feature '{feature.Id}' is {feature.Type}; the template is {template.Type}");
            }

            foreach (var existing in merchant.FeatureEntitlementsOf(customer.Id))
            {
                if (existing.Feature.Id == feature.Id && existing.StatusAt(now) == "active")
                {
                    return Answer.Conflict("The customer is already entitled to this feature", "ALREADY_ENTITLED");
                }
            }

            var activeFrom = request.ActiveFrom ?? now;
            var entitlement = new FeatureEntitlement
            {
                Id = Ids.New("ent"),
                CustomerId = customer.Id,
                Feature = feature,
                SubscriptionId = request.SubscriptionId,
                ActiveFrom = activeFrom,
                ActiveTo = request.ActiveTo,
                Config = template.Config,
                IncludedUnits = template.IssueAfterReset,
                IsSoftLimit = template.IsSoftLimit,
                UsagePeriod = template.UsagePeriod,
                Anchor = template.Anchor ?? activeFrom,
                Metadata = request.Metadata,
            };
            merchant.AddFeatureEntitlement(entitlement);
            world.Own(entitlement.Id, merchant);
            return Answer.Json(StatusCodes.Status201Created, ToDetail(entitlement, now), EmulatorJson.Default.EntitlementDetailBody);
        }
    }

    private static AccessResultBody ToAccessResult(FeatureEntitlement e, DateTimeOffset at)
    {
        var state = e.Evaluate(at);
        var metered = e.IsMetered;
        return new AccessResultBody(
            e.Id,
            state.HasAccess,
            e.Feature.Key,
            e.Feature.Type,
            e.Feature.ProductId,
            e.ActiveFrom,
            e.ActiveTo,
            e.StatusAt(at),
            ConfigOf(e),
            metered ? state.Balance : null,
            metered ? state.UsageInPeriod : null,
            metered ? state.Overage : null,
            metered ? state.PeriodStart : null,
            metered ? state.PeriodEnd : null,
            metered ? e.IsSoftLimit : null,
            metered ? JsonNull : null,
            e.CustomerId,
            e.Feature.Id,
            e.SubscriptionId,
            e.Metadata ?? []);
    }

    private static EntitlementDetailBody ToDetail(FeatureEntitlement e, DateTimeOffset at)
    {
        var state = e.Evaluate(at);
        var metered = e.IsMetered;
        return new EntitlementDetailBody(
            "entitlement",
            e.Id,
            e.CustomerId,
            e.Feature.Id,
            e.Feature.Key,
            e.Feature.Type,
            e.Feature.ProductId,
            e.SubscriptionId,
            e.StatusAt(at),
            e.ActiveFrom,
            e.ActiveTo,
            state.HasAccess,
            e.Metadata ?? [],
            ConfigOf(e),
            metered ? e.IsSoftLimit : null,
            metered ? state.Balance : null,
            metered ? state.UsageInPeriod : null,
            metered ? state.Overage : null,
            metered ? state.PeriodStart : null,
            metered ? state.PeriodEnd : null,
            metered ? JsonNull : null);
    }

    /// <summary>A static entitlement's configuration; null (written as JSON null) for the others, as the newer spec says.</summary>
    private static JsonElement? ConfigOf(FeatureEntitlement e) =>
        e.Feature.Type == "static" ? e.Config ?? EmptyObject : null;
}
