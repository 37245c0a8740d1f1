using Paygentic.Sdk.Http;
using Refit;

namespace Paygentic.Sdk.Subscriptions;

/// <summary>The subscription endpoints as Refit sees them.</summary>
internal interface ISubscriptionsApi
{
    [Post("/v0/subscriptions")]
    [Headers(RetryDeclaration.Never)]
    Task<HttpResponseMessage> CreateAsync([Body(buffered: true)] CreateSubscriptionRequest request, CancellationToken cancellationToken);

    [Get("/v0/subscriptions/{id}")]

    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> GetAsync(string id, CancellationToken cancellationToken);

    // The spec declares limit and offset as strings here (unlike every other list).
    [Get("/v0/subscriptions")]
    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> ListAsync(string limit, string offset, string? customerId, string? consumerId, string? merchantId, string? status, string? startedBefore, CancellationToken cancellationToken);

    [Post("/v0/subscriptions/{id}/termination")]

    [Headers(RetryDeclaration.Never)]
    Task<HttpResponseMessage> TerminateAsync(string id, [Body(buffered: true)] TerminationBody body, CancellationToken cancellationToken);

    [Post("/v0/subscriptions/{id}/portal")]

    [Headers(RetryDeclaration.Never)]
    Task<HttpResponseMessage> CreatePortalLinkAsync(string id, [Body(buffered: true)] PortalLinkBody body, CancellationToken cancellationToken);
}
