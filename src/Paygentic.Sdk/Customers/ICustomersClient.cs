namespace Paygentic.Sdk.Customers;

/// <summary>Creates and manages the customers you bill (<c>/v0/customers</c>).</summary>
public interface ICustomersClient
{
    /// <summary>
    /// Creates a customer, or returns the existing one for the same consumer email (safe to repeat; see
    /// <see cref="CreateCustomerResult.Created"/>).
    /// </summary>
    /// <param name="request">The customer to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<CreateCustomerResult> CreateAsync(CreateCustomerRequest request, CancellationToken cancellationToken = default);

    /// <summary>Gets a customer by id.</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Customer> GetAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>Gets one page of the merchant's customers.</summary>
    /// <param name="options">Filters and paging; the merchant defaults to the configured one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<Customer>> ListPageAsync(CustomerListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Streams every customer matching the filters, fetching pages as needed.</summary>
    /// <param name="options">Filters and paging; the merchant defaults to the configured one.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<Customer> ListAsync(CustomerListOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Changes a customer's tax id, external id, tax rates or notification settings.</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="request">The fields to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Customer> UpdateAsync(string customerId, UpdateCustomerRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a customer (409 when it still has active subscriptions or invoices).</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DeleteAsync(string customerId, CancellationToken cancellationToken = default);
}
