using Paygentic.Sdk.Http;
using Refit;

namespace Paygentic.Sdk.Usage;

/// <summary>The legacy usage endpoints as Refit sees them.</summary>
internal interface IUsageApi
{
    [Post("/v0/usage")]
    [Headers(RetryDeclaration.Safe)]
    // Serialized by UsageClient into a pooled buffer (the hot path of every metered call): Refit sends it as it is.
    Task<HttpResponseMessage> CreateAsync([Body] HttpContent report, CancellationToken cancellationToken);

    [Post("/v0/usage/batch")]
    // The body comes serialized (see UsageClient.CreateBatchAsync): Refit sends an HttpContent as it is. The answer lists
    // every accepted event (~500 KB per 1,000), so this call alone asks for it compressed (ApiInvoker inflates it).
    [Headers(RetryDeclaration.Safe, "Accept-Encoding: gzip, br")]
    Task<HttpResponseMessage> CreateBatchAsync([Body] HttpContent body, CancellationToken cancellationToken);

    [Get("/v0/usage/{id}")]

    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> GetAsync(string id, CancellationToken cancellationToken);

    [Get("/v0/usage")]

    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> ListAsync(string startTime, string endTime, string? customerId, string? merchantId, string? consumerId, string? subscriptionId, int limit, int offset, CancellationToken cancellationToken);

    [Patch("/v0/usage/{id}")]

    [Headers(RetryDeclaration.NotProcessedOnly)]
    Task<HttpResponseMessage> RefundAsync(string id, [Body(buffered: true)] UsageRefundBody body, CancellationToken cancellationToken);
}
