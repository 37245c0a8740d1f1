using Paygentic.Sdk.Http;
using Refit;

namespace Paygentic.Sdk.Entitlements;

/// <summary>The entitlement endpoints (legacy v0 reservations and v1 access) as Refit sees them.</summary>
internal interface IEntitlementsApi
{
    [Post("/v0/entitlements")]
    [Headers(RetryDeclaration.NotProcessedOnly)]
    Task<HttpResponseMessage> CreateReservationAsync([Body(buffered: true)] CreateReservationRequest request, CancellationToken cancellationToken);

    [Get("/v0/entitlements/activeEntitlements")]
    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> ListActiveAsync(string customerId, string? productId, string? subscriptionId, CancellationToken cancellationToken);

    [Get("/v1/entitlements")]
    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> ListAccessAsync(string? customerId, string? externalCustomerId, string? merchantId, string? featureKey, string? productId, string? subscriptionId, int limit, int offset, string? at, CancellationToken cancellationToken);

    [Get("/v1/entitlements/{entitlementId}")]
    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> GetAsync(string entitlementId, string? at, CancellationToken cancellationToken);

    [Post("/v1/entitlements")]
    [Headers(RetryDeclaration.NotProcessedOnly)]
    Task<HttpResponseMessage> IssueAsync([Body(buffered: true)] IssueEntitlementRequest request, CancellationToken cancellationToken);
}
