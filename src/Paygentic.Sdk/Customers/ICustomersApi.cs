using Paygentic.Sdk.Http;
using Refit;

namespace Paygentic.Sdk.Customers;

/// <summary>The customer endpoints as Refit sees them; internal so callers only ever see <see cref="ICustomersClient"/>.</summary>
internal interface ICustomersApi
{
    [Post("/v0/customers")]
    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> CreateAsync([Body(buffered: true)] CreateCustomerRequest request, CancellationToken cancellationToken);

    [Get("/v0/customers/{id}")]

    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> GetAsync(string id, CancellationToken cancellationToken);

    [Get("/v0/customers")]

    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> ListAsync(string organizationId, int limit, int offset, string? name, string? email, string? externalId, CancellationToken cancellationToken);

    [Patch("/v0/customers/{id}")]

    [Headers(RetryDeclaration.Never)]
    Task<HttpResponseMessage> UpdateAsync(string id, [Body(buffered: true)] UpdateCustomerRequest request, CancellationToken cancellationToken);

    [Delete("/v0/customers/{id}")]

    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> DeleteAsync(string id, CancellationToken cancellationToken);
}
