namespace Paygentic.Emulator.Customers;

/// <summary>A merchant's customer. Mutable, and only ever touched under the merchant's lock.</summary>
internal sealed class CustomerRecord
{
    public required string Id { get; init; }

    public required string MerchantId { get; init; }

    /// <summary>The consumer organisation behind the customer (<c>org_…</c>), reused for the same e-mail.</summary>
    public required string ConsumerId { get; init; }

    public required string Name { get; init; }

    public required string Email { get; init; }

    public string? Phone { get; init; }

    public AddressBody? Address { get; init; }

    public string? TaxId { get; set; }

    public string? ExternalId { get; set; }

    public Dictionary<string, decimal>? TaxRates { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool InvoiceIssuedEmails { get; set; } = true;

    public bool InvoicePaidEmails { get; set; } = true;

    public bool RenewalReminderEmails { get; set; } = true;

    /// <summary>
    /// Tax calculation needs country and zip code, and a state for the US and Canada; an incomplete address is
    /// still accepted (the plan's default rate applies), so it is reported rather than refused.
    /// </summary>
    public ValidTaxAddressBody TaxAddressCheck()
    {
        var address = Address;
        if (address is null || string.IsNullOrEmpty(address.Country) || string.IsNullOrEmpty(address.ZipCode))
        {
            return new ValidTaxAddressBody(false, "Address needs country and zipCode for tax calculation");
        }

        var needsState = address.Country is "US" or "CA";
        return needsState && string.IsNullOrEmpty(address.State)
            ? new ValidTaxAddressBody(false, "Address needs a state for US and CA")
            : new ValidTaxAddressBody(true, null);
    }
}
