using System.Text.Json.Serialization;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Customers;

/// <summary>A postal address. Tax calculation needs <see cref="Country"/>, <see cref="State"/> and <see cref="ZipCode"/>.</summary>
public sealed record Address
{
    /// <summary>First address line.</summary>
    public string? Line1 { get; init; }

    /// <summary>Second address line.</summary>
    public string? Line2 { get; init; }

    /// <summary>City.</summary>
    public string? City { get; init; }

    /// <summary>State or region.</summary>
    public string? State { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code, e.g. <c>US</c>.</summary>
    public string? Country { get; init; }

    /// <summary>Postal code (the API calls it <c>zipCode</c>).</summary>
    public string? ZipCode { get; init; }
}

/// <summary>A consumer to create along with the customer (reused when one with the same email exists).</summary>
public sealed record NewConsumer
{
    /// <summary>The consumer's name.</summary>
    public required string Name { get; init; }

    /// <summary>The consumer's email; Paygentic reuses an existing consumer with this email.</summary>
    public required string Email { get; init; }

    /// <summary>Phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>The consumer's address (required by the API; may be partial).</summary>
    public required Address Address { get; init; }
}

/// <summary>The body of <c>POST /v0/customers</c>. Give either <see cref="Consumer"/> or <see cref="ConsumerId"/>.</summary>
public sealed record CreateCustomerRequest
{
    /// <summary>The merchant organisation; defaults to <see cref="PaygenticOptions.MerchantId"/>.</summary>
    public string? MerchantId { get; init; }

    /// <summary>The consumer to create or reuse (by email).</summary>
    public NewConsumer? Consumer { get; init; }

    /// <summary>An existing consumer organisation id, instead of <see cref="Consumer"/>.</summary>
    public string? ConsumerId { get; init; }

    /// <summary>A tax registration id (VAT etc.).</summary>
    public string? TaxId { get; init; }

    /// <summary>Your own id for this customer (at most 255 characters, unique per merchant).</summary>
    public string? ExternalId { get; init; }

    /// <summary>Tax rates in percent, by plan id, metric id or <c>default</c>.</summary>
    public IReadOnlyDictionary<string, decimal>? TaxRates { get; init; }
}

/// <summary>Whether the customer's address is good enough for tax calculation.</summary>
public sealed record ValidTaxAddress
{
    /// <summary>Whether the address is valid for tax.</summary>
    public bool Valid { get; init; }

    /// <summary>Why not, when it is not.</summary>
    public string? Message { get; init; }
}

/// <summary>The answer to a customer create: the id, and whether it was created now or already existed.</summary>
public sealed record CreateCustomerResult
{
    /// <summary>The customer id (<c>cus_…</c>).</summary>
    [JsonConverter(typeof(AnswerIdJsonConverter))]
    public required string CustomerId { get; init; }

    /// <summary>The tax-address check.</summary>
    public ValidTaxAddress? ValidTaxAddress { get; init; }

    /// <summary><see langword="true"/> when the server created the customer (201); <see langword="false"/> when it already existed (200).</summary>
    [JsonIgnore]
    public bool Created { get; init; }
}

/// <summary>The consumer organisation behind a customer.</summary>
public sealed record CustomerOrganization
{
    /// <summary>The organisation id.</summary>
    public string? Id { get; init; }

    /// <summary>The organisation's name.</summary>
    public string? Name { get; init; }

    /// <summary>Its address.</summary>
    public Address? Address { get; init; }

    /// <summary>Where invoices go.</summary>
    public IReadOnlyList<string>? BillingEmails { get; init; }

    /// <summary>Phone number.</summary>
    public string? Phone { get; init; }
}

/// <summary>Which emails Paygentic sends a customer.</summary>
public sealed record CustomerNotificationSettings
{
    /// <summary>Invoice issued emails.</summary>
    public bool? InvoiceIssued { get; init; }

    /// <summary>Invoice paid emails.</summary>
    public bool? InvoicePaid { get; init; }

    /// <summary>Renewal reminder emails.</summary>
    public bool? RenewalReminder { get; init; }
}

/// <summary>A customer: the link between your merchant organisation and a consumer you bill.</summary>
public sealed record Customer
{
    /// <summary>The customer id (<c>cus_…</c>).</summary>
    [JsonConverter(typeof(AnswerIdJsonConverter))]
    public required string Id { get; init; }

    /// <summary>Always <c>customer</c>.</summary>
    [JsonPropertyName("object")]
    public string? ObjectType { get; init; }

    /// <summary>The consumer organisation id.</summary>
    public string? ConsumerId { get; init; }

    /// <summary>The merchant organisation id.</summary>
    public string? MerchantId { get; init; }

    /// <summary>The consumer organisation, when included.</summary>
    public CustomerOrganization? Organization { get; init; }

    /// <summary>The tax registration id.</summary>
    public string? TaxId { get; init; }

    /// <summary>Your own id for this customer.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Tax rates in percent.</summary>
    public IReadOnlyDictionary<string, decimal>? TaxRates { get; init; }

    /// <summary>The tax-address check.</summary>
    public ValidTaxAddress? ValidTaxAddress { get; init; }

    /// <summary>Notification settings.</summary>
    public CustomerNotificationSettings? NotificationSettings { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>The body of <c>PATCH /v0/customers/{id}</c>; only the fields you set are changed.</summary>
public sealed record UpdateCustomerRequest
{
    /// <summary>A new tax registration id.</summary>
    public string? TaxId { get; init; }

    /// <summary>A new external id.</summary>
    public string? ExternalId { get; init; }

    /// <summary>New tax rates in percent.</summary>
    public IReadOnlyDictionary<string, decimal>? TaxRates { get; init; }

    /// <summary>Notification settings to change.</summary>
    public CustomerNotificationSettings? NotificationSettings { get; init; }
}

/// <summary>Filters and paging for listing a merchant's customers.</summary>
public sealed class CustomerListOptions : ListOptions
{
    /// <summary>The merchant organisation (<c>organizationId</c>); defaults to <see cref="PaygenticOptions.MerchantId"/>.</summary>
    public string? OrganizationId { get; set; }

    /// <summary>Case-insensitive substring of the consumer name (at least 3 characters).</summary>
    public string? Name { get; set; }

    /// <summary>Case-insensitive substring of the billing email (at least 3 characters).</summary>
    public string? Email { get; set; }

    /// <summary>Exact external id.</summary>
    public string? ExternalId { get; set; }
}
