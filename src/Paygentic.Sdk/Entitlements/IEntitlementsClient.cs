namespace Paygentic.Sdk.Entitlements;

/// <summary>
/// Authorisation before work: legacy prepaid reservations (<c>/v0/entitlements</c>) and standard feature access
/// (<c>/v1/entitlements</c>).
/// </summary>
public interface IEntitlementsClient
{
    /// <summary>
    /// Reserves wallet funds for up to <see cref="CreateReservationRequest.MaxUses"/> usage reports (legacy prepaid).
    /// Fails with <see cref="PaygenticBadRequestException"/> (code <c>INSUFFICIENT_FUNDS</c>) when the wallet cannot cover it.
    /// Retried only on 429/503: a repeat can hold funds twice until the hold expires, never charge.
    /// </summary>
    /// <param name="request">What to reserve.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Reservation> CreateReservationAsync(CreateReservationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists a customer's subscription-derived product access (legacy v0).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="productId">Only this product.</param>
    /// <param name="subscriptionId">Only this subscription.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ActiveEntitlement>> ListActiveAsync(string customerId, string? productId = null, string? subscriptionId = null, CancellationToken cancellationToken = default);

    /// <summary>Gets one page of a customer's feature access (standard billing).</summary>
    /// <param name="query">Customer, filters and paging.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<EntitlementAccess>> ListAccessPageAsync(EntitlementAccessQuery query, CancellationToken cancellationToken = default);

    /// <summary>Streams a customer's feature access (standard billing).</summary>
    /// <param name="query">Customer, filters and paging.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<EntitlementAccess> ListAccessAsync(EntitlementAccessQuery query, CancellationToken cancellationToken = default);

    /// <summary>Gets one entitlement, with its balance and access evaluated now or at <paramref name="at"/>.</summary>
    /// <param name="entitlementId">The entitlement id.</param>
    /// <param name="at">Evaluate at this instant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<EntitlementDetail> GetAsync(string entitlementId, DateTimeOffset? at = null, CancellationToken cancellationToken = default);

    /// <summary>Grants a customer access to a feature (409 when already entitled).</summary>
    /// <param name="request">What to grant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<EntitlementDetail> IssueAsync(IssueEntitlementRequest request, CancellationToken cancellationToken = default);
}
