namespace Paygentic.Emulator.Customers;

/// <summary>The spec's <c>Address</c>, used both in requests and in responses.</summary>
internal sealed record AddressBody(string? Line1, string? Line2, string? City, string? State, string? Country, string? ZipCode);

/// <summary><c>POST /v0/customers</c> request.</summary>
internal sealed class CreateCustomerRequest
{
    public string? MerchantId { get; init; }

    public ConsumerInput? Consumer { get; init; }

    public string? ConsumerId { get; init; }

    public string? TaxId { get; init; }

    public string? ExternalId { get; init; }

    public Dictionary<string, decimal>? TaxRates { get; init; }
}

/// <summary>The new consumer of a create-customer request (also the inline customer of a subscription).</summary>
internal sealed class ConsumerInput
{
    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }

    public AddressBody? Address { get; init; }

    public Dictionary<string, decimal>? TaxRates { get; init; }
}

/// <summary>The spec's <c>ValidTaxAddress</c>.</summary>
internal sealed record ValidTaxAddressBody(bool Valid, string? Message);

/// <summary>The 200/201 body of <c>POST /v0/customers</c> (not a Customer).</summary>
internal sealed record CreateCustomerResponse(string CustomerId, ValidTaxAddressBody ValidTaxAddress);

/// <summary>The spec's <c>Customer</c>.</summary>
internal sealed record CustomerBody(
    string Id,
    string Object,
    string ConsumerId,
    string MerchantId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    OrganizationBody Organization,
    string? TaxId,
    string? ExternalId,
    Dictionary<string, decimal>? TaxRates,
    ValidTaxAddressBody ValidTaxAddress,
    NotificationSettingsBody NotificationSettings);

/// <summary>The consumer organisation inside a <c>Customer</c>.</summary>
internal sealed record OrganizationBody(string Id, string Name, AddressBody? Address, IReadOnlyList<string> BillingEmails, string? Phone);

/// <summary>Notification preferences of a customer.</summary>
internal sealed record NotificationSettingsBody(bool InvoiceIssued, bool InvoicePaid, bool RenewalReminder);

/// <summary><c>GET /v0/customers</c> response.</summary>
internal sealed record CustomerListBody(string Object, IReadOnlyList<CustomerBody> Data, Http.Pagination Pagination);

/// <summary>The 409 of <c>DELETE /v0/customers/{id}</c>: what still depends on the customer.</summary>
internal sealed record DeleteConflictBody(string Error, string Message, DeleteConflictDetails Details);

/// <summary>Details of a delete conflict.</summary>
internal sealed record DeleteConflictDetails(IReadOnlyList<DeleteBlocker> Blockers);

/// <summary>One kind of dependency blocking a delete.</summary>
internal sealed record DeleteBlocker(string Type, int Count, IReadOnlyList<DeleteBlockerItem> Items);

/// <summary>One blocking object.</summary>
internal sealed record DeleteBlockerItem(string Id, string Status);
