using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Customers;

/// <summary>Finding and creating customers; shared by customer create and the inline customer of a subscription.</summary>
internal static class CustomerDirectory
{
    /// <summary>The outcome of find-or-create: the customer and whether it is new, or the refusal.</summary>
    internal readonly record struct FindOrCreateResult(CustomerRecord? Customer, bool Created, Answer? Problem);

    /// <summary>Validates a new consumer's fields; returns the 400 or null.</summary>
    public static Answer? Validate(ConsumerInput consumer, string prefix, bool addressNeedsCountryAndZip)
    {
        var address = consumer.Address;
        var tooLong = FieldLimits.First(
                (consumer.Name, FieldLimits.Name, prefix + ".name"),
                (consumer.Email, FieldLimits.Email, prefix + ".email"),
                (consumer.Phone, FieldLimits.Phone, prefix + ".phone"),
                (address?.Line1, FieldLimits.AddressLine, prefix + ".address.line1"),
                (address?.Line2, FieldLimits.AddressLine, prefix + ".address.line2"),
                (address?.City, FieldLimits.AddressLine, prefix + ".address.city"),
                (address?.State, FieldLimits.AddressLine, prefix + ".address.state"),
                (address?.ZipCode, FieldLimits.ZipCode, prefix + ".address.zipCode"))
            ?? FieldLimits.IdKeys(consumer.TaxRates, prefix + ".taxRates");
        if (tooLong is { } violation)
        {
            return violation.ToAnswer();
        }

        if (string.IsNullOrWhiteSpace(consumer.Name))
        {
            return Answer.Validation(prefix + ".name", "is required", "REQUIRED");
        }

        if (string.IsNullOrWhiteSpace(consumer.Email) || !consumer.Email.Contains('@', StringComparison.Ordinal))
        {
            return Answer.Validation(prefix + ".email", "must be an e-mail address", "INVALID_EMAIL");
        }

        if (consumer.Address is null)
        {
            return Answer.Validation(prefix + ".address", "is required", "REQUIRED");
        }

        if (consumer.Address.Country is { } country && country.Length != 2)
        {
            return Answer.Validation(prefix + ".address.country", "must be an ISO 3166-1 alpha-2 code", "INVALID_COUNTRY");
        }

        if (addressNeedsCountryAndZip && (string.IsNullOrEmpty(consumer.Address.Country) || string.IsNullOrEmpty(consumer.Address.ZipCode)))
        {
            return Answer.Validation(prefix + ".address", "needs country and zipCode", "REQUIRED");
        }

        return ValidateTaxRates(consumer.TaxRates, prefix + ".taxRates");
    }

    public static Answer? ValidateTaxRates(Dictionary<string, decimal>? rates, string field)
    {
        if (rates is null)
        {
            return null;
        }

        foreach (var (key, rate) in rates)
        {
            if (rate is < 0 or > 100)
            {
                return Answer.Validation(field + "." + key, "must be a percentage from 0 to 100", "OUT_OF_RANGE");
            }
        }

        return null;
    }

    /// <summary>
    /// The customer for this e-mail at this merchant (existing: not created) or a new one. A taken externalId is a
    /// conflict unless it belongs to that same existing customer. Caller holds the merchant's lock.
    /// </summary>
    public static FindOrCreateResult FindOrCreate(
        World world,
        MerchantState merchant,
        ConsumerInput consumer,
        string? externalId,
        string? taxId,
        DateTimeOffset now)
    {
        merchant.CustomersByEmail.TryGetValue(consumer.Email!, out var sameEmail);
        if (externalId is not null && merchant.CustomersByExternalId.TryGetValue(externalId, out var holder) && holder != sameEmail)
        {
            return new FindOrCreateResult(null, false, Answer.Conflict($"A customer with externalId '{externalId}' already exists", "EXTERNAL_ID_TAKEN"));
        }

        if (sameEmail is not null)
        {
            return new FindOrCreateResult(sameEmail, false, null);
        }

        var consumerInfo = world.ConsumersByEmail.GetOrAdd(
            consumer.Email!,
            email => new ConsumerInfo(Ids.New("org"), consumer.Name!, email, consumer.Phone, consumer.Address));
        world.ConsumersById.TryAdd(consumerInfo.Id, consumerInfo);
        var customer = Add(world, merchant, consumerInfo, consumer.Name!, consumer.Phone, consumer.Address, externalId, taxId, consumer.TaxRates, now);
        return new FindOrCreateResult(customer, true, null);
    }

    /// <summary>Registers a new customer, its wallet and its indexes. Caller holds the merchant's lock.</summary>
    public static CustomerRecord Add(
        World world,
        MerchantState merchant,
        ConsumerInfo consumer,
        string name,
        string? phone,
        AddressBody? address,
        string? externalId,
        string? taxId,
        Dictionary<string, decimal>? taxRates,
        DateTimeOffset now)
    {
        var customer = new CustomerRecord
        {
            Id = Ids.New("cus"),
            MerchantId = merchant.Id,
            ConsumerId = consumer.Id,
            Name = name,
            Email = consumer.Email,
            Phone = phone,
            Address = address,
            ExternalId = externalId,
            TaxId = taxId,
            TaxRates = taxRates,
            CreatedAt = now,
            UpdatedAt = now,
        };
        merchant.Customers.Add(customer.Id, customer);
        merchant.CustomerOrder.Add(customer);
        merchant.CustomersByEmail[customer.Email] = customer;
        if (externalId is not null)
        {
            merchant.CustomersByExternalId[externalId] = customer;
        }

        merchant.Wallets[customer.Id] = new Wallet(customer.Id, Ids.New("acc"));
        world.Own(customer.Id, merchant);
        return customer;
    }

    /// <summary>Looks a customer up by id for this merchant: found, another merchant's (403) or unknown.</summary>
    public static CustomerRecord? Find(World world, MerchantState merchant, string? customerId, out bool forbidden)
    {
        forbidden = false;
        if (customerId is not null && merchant.Customers.TryGetValue(customerId, out var customer))
        {
            return customer;
        }

        forbidden = world.BelongsToAnother(customerId, merchant);
        return null;
    }

    public static CustomerBody ToBody(CustomerRecord c) => new(
        c.Id,
        "customer",
        c.ConsumerId,
        c.MerchantId,
        c.CreatedAt,
        c.UpdatedAt,
        new OrganizationBody(c.ConsumerId, c.Name, c.Address, [c.Email], c.Phone),
        c.TaxId,
        c.ExternalId,
        c.TaxRates,
        c.TaxAddressCheck(),
        new NotificationSettingsBody(c.InvoiceIssuedEmails, c.InvoicePaidEmails, c.RenewalReminderEmails));
}
