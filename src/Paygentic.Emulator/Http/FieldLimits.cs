namespace Paygentic.Emulator.Http;

/// <summary>
/// The longest value the emulator accepts in each kind of request field, so that clients meet size limits here
/// before a real API refuses them in production. Chosen like a real API's: the contract's own <c>maxLength</c>
/// where it states one (external ids, idempotency keys: 255; termination reasons: 1000), RFC 5321 for e-mail
/// addresses, and Stripe's metadata rules (50 entries, 40-character keys, 500-character values).
/// <para>
/// A value over a limit is refused before anything is looked up or stored, with a 400 <c>ValidationError</c>
/// (code <see cref="Code"/>) naming the field. Every operation that takes a request body, and every one with an id
/// in its path that declares a 400, answers that way. The id-only reads and deletes (<c>GET</c>/<c>DELETE
/// /v0/customers/{id}</c>, <c>GET /v0/subscriptions/{id}</c>, <c>GET /v0/usage/{id}</c>) declare no 400 in the
/// contract, so an over-long id there gets their 404: no object can have such an id.
/// </para>
/// </summary>
internal static class FieldLimits
{
    /// <summary>The <c>code</c> of the field error for a value over its limit.</summary>
    public const string Code = "TOO_LONG";

    /// <summary>Idempotency keys of usage and events (the contract's limit for every other idempotency key).</summary>
    public const int IdempotencyKey = 255;

    /// <summary>Any object id, in a path or a body: customer, consumer, merchant, plan, subscription, metric, feature, entitlement, usage, test clock.</summary>
    public const int Id = 255;

    /// <summary>A customer's <c>externalId</c> (the contract's <c>maxLength</c>).</summary>
    public const int ExternalId = 255;

    /// <summary>RFC 5321: 64 characters of local part, @, 255 of domain.</summary>
    public const int Email = 320;

    /// <summary>Names of consumers and subscriptions.</summary>
    public const int Name = 255;

    /// <summary>A phone number with its formatting (E.164 itself has at most 15 digits).</summary>
    public const int Phone = 40;

    /// <summary>A VAT or other tax registration id.</summary>
    public const int TaxId = 64;

    /// <summary><c>line1</c>, <c>line2</c>, <c>city</c> and <c>state</c> of an address.</summary>
    public const int AddressLine = 255;

    /// <summary>An address's <c>zipCode</c>.</summary>
    public const int ZipCode = 32;

    /// <summary>An event's <c>type</c>, i.e. a billable metric's event type.</summary>
    public const int EventType = 255;

    /// <summary>URLs: an event's <c>source</c>, a subscription's redirect URLs.</summary>
    public const int Url = 2048;

    /// <summary>Free-text reasons (termination, refund), as the contract limits the termination reason.</summary>
    public const int Reason = 1000;

    /// <summary>Entries of a <c>metadata</c> map.</summary>
    public const int MetadataEntries = 50;

    /// <summary>A <c>metadata</c> key.</summary>
    public const int MetadataKey = 40;

    /// <summary>A <c>metadata</c> value.</summary>
    public const int MetadataValue = 500;

    /// <summary>The violation when <paramref name="value"/> is longer than <paramref name="max"/>, else null.</summary>
    public static LimitViolation? Text(string? value, int max, string field) =>
        value is not null && value.Length > max ? new LimitViolation(field, $"must be at most {max} characters") : null;

    /// <summary>The first field over its limit, in the order given.</summary>
    public static LimitViolation? First(params ReadOnlySpan<(string? Value, int Max, string Field)> fields)
    {
        foreach (var (value, max, field) in fields)
        {
            if (Text(value, max, field) is { } violation)
            {
                return violation;
            }
        }

        return null;
    }

    /// <summary>A <c>metadata</c> map with too many entries, an over-long key, or an over-long value (named by its key).</summary>
    public static LimitViolation? Metadata(IReadOnlyDictionary<string, string>? metadata, string field)
    {
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > MetadataEntries)
        {
            return new LimitViolation(field, $"must have at most {MetadataEntries} entries");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length > MetadataKey)
            {
                return new LimitViolation(field, $"keys must be at most {MetadataKey} characters");
            }

            if (value is not null && value.Length > MetadataValue)
            {
                return new LimitViolation(field + "." + key, $"must be at most {MetadataValue} characters");
            }
        }

        return null;
    }

    /// <summary>A map keyed by ids (e.g. <c>taxRates</c>: plan or metric ids, or <c>default</c>) with an over-long key.</summary>
    public static LimitViolation? IdKeys<T>(IReadOnlyDictionary<string, T>? map, string field)
    {
        if (map is not null)
        {
            foreach (var key in map.Keys)
            {
                if (key.Length > Id)
                {
                    return new LimitViolation(field, $"keys must be at most {Id} characters");
                }
            }
        }

        return null;
    }

    /// <summary>The first query parameter over its limit (the list operations all declare a 400).</summary>
    public static LimitViolation? QueryText(HttpContext context, params ReadOnlySpan<(string Name, int Max)> parameters)
    {
        foreach (var (name, max) in parameters)
        {
            if (Text(Query.Text(context, name), max, name) is { } violation)
            {
                return violation;
            }
        }

        return null;
    }

    /// <summary>The route value <paramref name="name"/> when it is longer than any id.</summary>
    public static LimitViolation? RouteId(HttpContext context, string name = "id") => Text(Query.RouteId(context, name), Id, name);
}

/// <summary>One field over its size limit.</summary>
internal readonly record struct LimitViolation(string Field, string Message)
{
    public Answer ToAnswer() => Answer.Validation(Field, Message, FieldLimits.Code);
}
