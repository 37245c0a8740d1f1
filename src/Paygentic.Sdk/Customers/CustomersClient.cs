using System.Net;
using Paygentic.Sdk.Http;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Customers;

/// <summary>The <see cref="ICustomersClient"/> over the generated Refit client.</summary>
internal sealed class CustomersClient(ICustomersApi api, ClientContext context) : ICustomersClient
{
    public async Task<CreateCustomerResult> CreateAsync(CreateCustomerRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);
        var merchant = Guard.Merchant(request.MerchantId, context.MerchantId, "request.MerchantId");
        if (request.Consumer is null && string.IsNullOrWhiteSpace(request.ConsumerId))
        {
            throw new ArgumentException("request.Consumer or request.ConsumerId is required.", nameof(request));
        }

        if (request.Consumer is { } consumer)
        {
            Guard.NotBlank(consumer.Name, "request.Consumer.Name");
            Guard.NotBlank(consumer.Email, "request.Consumer.Email");
            Guard.NotNull(consumer.Address, "request.Consumer.Address");
        }

        if (request.ExternalId is { Length: > 255 })
        {
            throw new ArgumentException("request.ExternalId must be at most 255 characters.", nameof(request));
        }

        var body = request with { MerchantId = merchant };
        var result = await context.Invoker.SendAsync(() => api.CreateAsync(body, cancellationToken), PaygenticJsonContext.Default.CreateCustomerResult, cancellationToken).ConfigureAwait(false);
        return result.Value with { Created = result.StatusCode == HttpStatusCode.Created };
    }

    public async Task<Customer> GetAsync(string customerId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(customerId);
        var result = await context.Invoker.SendAsync(() => api.GetAsync(customerId, cancellationToken), PaygenticJsonContext.Default.Customer, cancellationToken).ConfigureAwait(false);
        return result.Value;
    }

    public async Task<Page<Customer>> ListPageAsync(CustomerListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CustomerListOptions();
        options.ValidatePaging();
        var organization = Guard.Merchant(options.OrganizationId, context.MerchantId, "options.OrganizationId");
        var result = await context.Invoker.SendAsync(
            () => api.ListAsync(organization, options.Limit, options.Offset, options.Name, options.Email, options.ExternalId, cancellationToken),
            PaygenticJsonContext.Default.ListEnvelopeCustomer,
            cancellationToken).ConfigureAwait(false);
        return result.Value.ToPage(options.Limit, options.Offset);
    }

    public IAsyncEnumerable<Customer> ListAsync(CustomerListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CustomerListOptions();
        options.ValidatePaging();
        return Pager.EnumerateAsync(
            (offset, ct) => ListPageAsync(new CustomerListOptions { OrganizationId = options.OrganizationId, Name = options.Name, Email = options.Email, ExternalId = options.ExternalId, Limit = options.Limit, Offset = offset }, ct),
            options.Offset,
            cancellationToken);
    }

    public async Task<Customer> UpdateAsync(string customerId, UpdateCustomerRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(customerId);
        Guard.NotNull(request);
        var result = await context.Invoker.SendAsync(() => api.UpdateAsync(customerId, request, cancellationToken), PaygenticJsonContext.Default.Customer, cancellationToken).ConfigureAwait(false);
        return result.Value;
    }

    public Task DeleteAsync(string customerId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(customerId);
        return context.Invoker.SendAsync(() => api.DeleteAsync(customerId, cancellationToken), cancellationToken);
    }
}
