using System.Globalization;
using Paygentic.Sdk.Http;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Entitlements;

/// <summary>The <see cref="IEntitlementsClient"/> over the generated Refit client.</summary>
internal sealed class EntitlementsClient(IEntitlementsApi api, ClientContext context) : IEntitlementsClient
{
    public async Task<Reservation> CreateReservationAsync(CreateReservationRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);
        Guard.NotBlank(request.CustomerId, "request.CustomerId");
        var merchant = Guard.Merchant(request.MerchantId, context.MerchantId, "request.MerchantId");
        if (request.Items is null || request.Items.Count == 0)
        {
            throw new ArgumentException("request.Items must name at least one billable metric.", nameof(request));
        }

        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i] ?? throw new ArgumentException($"request.Items[{i}] is null.", nameof(request));
            Guard.NotBlank(item.BillableMetricId, $"request.Items[{i}].BillableMetricId");
            if (item.Quantity < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(request), item.Quantity, $"request.Items[{i}].Quantity must not be negative.");
            }

            if (item.Price is { } price)
            {
                UsdAmount.Validate(price, $"request.Items[{i}].Price");
            }
        }

        if (request.MaxUses is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.MaxUses, "request.MaxUses must be between 1 and 1000.");
        }

        var body = request with { MerchantId = merchant };
        return (await context.Invoker.SendAsync(() => api.CreateReservationAsync(body, cancellationToken), PaygenticJsonContext.Default.Reservation, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<IReadOnlyList<ActiveEntitlement>> ListActiveAsync(string customerId, string? productId = null, string? subscriptionId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(customerId);
        var result = await context.Invoker.SendAsync(() => api.ListActiveAsync(customerId, productId, subscriptionId, cancellationToken), PaygenticJsonContext.Default.ListEnvelopeActiveEntitlement, cancellationToken).ConfigureAwait(false);
        return result.Value.Data ?? [];
    }

    public async Task<Page<EntitlementAccess>> ListAccessPageAsync(EntitlementAccessQuery query, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        if (string.IsNullOrWhiteSpace(query.CustomerId) == string.IsNullOrWhiteSpace(query.ExternalCustomerId))
        {
            throw new ArgumentException("Give exactly one of query.CustomerId and query.ExternalCustomerId.", nameof(query));
        }

        query.ValidatePaging();
        if (query.FeatureKey is not null && string.IsNullOrWhiteSpace(query.ProductId))
        {
            throw new ArgumentException("query.FeatureKey needs query.ProductId: the API resolves feature keys per product.", nameof(query));
        }

        var result = await context.Invoker.SendAsync(
            () => api.ListAccessAsync(query.CustomerId, query.ExternalCustomerId, query.MerchantId, query.FeatureKey, query.ProductId, query.SubscriptionId, query.Limit, query.Offset, Format(query.At), cancellationToken),
            PaygenticJsonContext.Default.ListEnvelopeEntitlementAccess,
            cancellationToken).ConfigureAwait(false);
        return result.Value.ToPage(query.Limit, query.Offset);
    }

    public IAsyncEnumerable<EntitlementAccess> ListAccessAsync(EntitlementAccessQuery query, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(query);
        query.ValidatePaging();
        return Pager.EnumerateAsync(
            (offset, ct) => ListAccessPageAsync(
                new EntitlementAccessQuery { CustomerId = query.CustomerId, ExternalCustomerId = query.ExternalCustomerId, MerchantId = query.MerchantId, FeatureKey = query.FeatureKey, ProductId = query.ProductId, SubscriptionId = query.SubscriptionId, At = query.At, Limit = query.Limit, Offset = offset },
                ct),
            query.Offset,
            cancellationToken);
    }

    public async Task<EntitlementDetail> GetAsync(string entitlementId, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(entitlementId);
        return (await context.Invoker.SendAsync(() => api.GetAsync(entitlementId, Format(at), cancellationToken), PaygenticJsonContext.Default.EntitlementDetail, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<EntitlementDetail> IssueAsync(IssueEntitlementRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);
        Guard.NotBlank(request.CustomerId, "request.CustomerId");
        Guard.NotBlank(request.FeatureId, "request.FeatureId");
        Guard.NotNull(request.Template, "request.Template");
        Guard.NotBlank(request.Template.Type, "request.Template.Type");
        return (await context.Invoker.SendAsync(() => api.IssueAsync(request, cancellationToken), PaygenticJsonContext.Default.EntitlementDetail, cancellationToken).ConfigureAwait(false)).Value;
    }

    private static string? Format(DateTimeOffset? at) => at?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
