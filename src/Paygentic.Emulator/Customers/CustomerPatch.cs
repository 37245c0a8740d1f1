using System.Text.Json;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Customers;

/// <summary>
/// <c>PATCH /v0/customers/{id}</c>: read from the raw JSON because "absent" (keep) and <c>null</c> (clear) mean
/// different things for <c>taxId</c> and <c>externalId</c>.
/// </summary>
internal sealed class CustomerPatch
{
    public bool TaxIdSet { get; private set; }

    public string? TaxId { get; private set; }

    public bool ExternalIdSet { get; private set; }

    public string? ExternalId { get; private set; }

    public Dictionary<string, decimal>? TaxRates { get; private set; }

    public bool? InvoiceIssued { get; private set; }

    public bool? InvoicePaid { get; private set; }

    public bool? RenewalReminder { get; private set; }

    public static CustomerPatch? Parse(JsonElement body, out Answer? problem)
    {
        problem = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            problem = Answer.Validation("body", "must be a JSON object");
            return null;
        }

        var patch = new CustomerPatch();
        if (body.TryGetProperty("taxId", out var taxId))
        {
            patch.TaxIdSet = true;
            if (!TryNullableString(taxId, out var value))
            {
                problem = Answer.Validation("taxId", "must be a string or null", "INVALID_TYPE");
                return null;
            }

            if (FieldLimits.Text(value, FieldLimits.TaxId, "taxId") is { } tooLong)
            {
                problem = tooLong.ToAnswer();
                return null;
            }

            patch.TaxId = value;
        }

        if (body.TryGetProperty("externalId", out var externalId))
        {
            patch.ExternalIdSet = true;
            if (!TryNullableString(externalId, out var value))
            {
                problem = Answer.Validation("externalId", "must be a string or null", "INVALID_TYPE");
                return null;
            }

            if (FieldLimits.Text(value, FieldLimits.ExternalId, "externalId") is { } tooLong)
            {
                problem = tooLong.ToAnswer();
                return null;
            }

            patch.ExternalId = value;
        }

        if (body.TryGetProperty("taxRates", out var taxRates) && !patch.TryReadTaxRates(taxRates, out problem))
        {
            return null;
        }

        if (FieldLimits.IdKeys(patch.TaxRates, "taxRates") is { } longKey)
        {
            problem = longKey.ToAnswer();
            return null;
        }

        if (body.TryGetProperty("notificationSettings", out var settings) && !patch.TryReadSettings(settings, out problem))
        {
            return null;
        }

        return patch;
    }

    public void ApplyTo(CustomerRecord customer, MerchantState merchant)
    {
        if (TaxIdSet)
        {
            customer.TaxId = TaxId;
        }

        if (ExternalIdSet)
        {
            if (customer.ExternalId is not null)
            {
                merchant.CustomersByExternalId.Remove(customer.ExternalId);
            }

            customer.ExternalId = ExternalId;
            if (ExternalId is not null)
            {
                merchant.CustomersByExternalId[ExternalId] = customer;
            }
        }

        if (TaxRates is not null)
        {
            customer.TaxRates = TaxRates;
        }

        customer.InvoiceIssuedEmails = InvoiceIssued ?? customer.InvoiceIssuedEmails;
        customer.InvoicePaidEmails = InvoicePaid ?? customer.InvoicePaidEmails;
        customer.RenewalReminderEmails = RenewalReminder ?? customer.RenewalReminderEmails;
    }

    private static bool TryNullableString(JsonElement element, out string? value)
    {
        value = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return element.ValueKind is JsonValueKind.String or JsonValueKind.Null;
    }

    private bool TryReadTaxRates(JsonElement element, out Answer? problem)
    {
        problem = null;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var single) && single is >= 0 and <= 100)
        {
            // A single number is the rate for everything, which the map spells as "default".
            TaxRates = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["default"] = single };
            return true;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            var rates = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDecimal(out var rate) || rate is < 0 or > 100)
                {
                    problem = Answer.Validation("taxRates." + property.Name, "must be a percentage from 0 to 100", "OUT_OF_RANGE");
                    return false;
                }

                rates[property.Name] = rate;
            }

            TaxRates = rates;
            return true;
        }

        problem = Answer.Validation("taxRates", "must be a percentage from 0 to 100 or a map of them", "INVALID_TYPE");
        return false;
    }

    private bool TryReadSettings(JsonElement element, out Answer? problem)
    {
        problem = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = Answer.Validation("notificationSettings", "must be an object", "INVALID_TYPE");
            return false;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                problem = Answer.Validation("notificationSettings." + property.Name, "must be a boolean", "INVALID_TYPE");
                return false;
            }

            var value = property.Value.GetBoolean();
            switch (property.Name)
            {
                case "invoiceIssued": InvoiceIssued = value; break;
                case "invoicePaid": InvoicePaid = value; break;
                case "renewalReminder": RenewalReminder = value; break;
                default: break;
            }
        }

        return true;
    }
}
