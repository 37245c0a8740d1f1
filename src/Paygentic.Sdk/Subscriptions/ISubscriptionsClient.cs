namespace Paygentic.Sdk.Subscriptions;

/// <summary>Subscriptions of customers to plans, and the customer portal link (<c>/v0/subscriptions</c>).</summary>
public interface ISubscriptionsClient
{
    /// <summary>
    /// Subscribes a customer to a plan. With a prefund, the answer is usually a <see cref="PendingSubscriptionPayment"/>
    /// whose checkout URL the customer must visit. Not retried automatically (a repeat could open a second checkout)
    /// unless <see cref="PaygenticRetryOptions.RetryNonIdempotentRequests"/> is set. A subscription that already
    /// exists comes back with <see cref="CreateSubscriptionResult.Created"/> false (200, the 2026-04-18 API); the
    /// 2026-08-06 API may refuse the duplicate with 409 instead.
    /// </summary>
    /// <param name="request">The subscription.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="PaygenticConflictException">The API refused a duplicate subscription (409, 2026-08-06).</exception>
    Task<CreateSubscriptionResult> CreateAsync(CreateSubscriptionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gets a subscription (poll its status after sending a customer to checkout).</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Subscription> GetAsync(string subscriptionId, CancellationToken cancellationToken = default);

    /// <summary>Gets one page of subscriptions.</summary>
    /// <param name="options">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<Subscription>> ListPageAsync(SubscriptionListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Streams every subscription matching the filters.</summary>
    /// <param name="options">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<Subscription> ListAsync(SubscriptionListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Terminates a subscription.</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="reason">Why (required by the API).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Subscription> TerminateAsync(string subscriptionId, string reason, CancellationToken cancellationToken = default);

    /// <summary>Creates a time-limited customer portal link (default 10 minutes, at most 7 days).</summary>
    /// <param name="subscriptionId">The subscription id.</param>
    /// <param name="expiresIn">How long the link lives; whole seconds, 1 s to 7 days.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<SubscriptionPortal> CreatePortalLinkAsync(string subscriptionId, TimeSpan? expiresIn = null, CancellationToken cancellationToken = default);
}
