using Paygentic.Sdk.Http;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Events;

/// <summary>The <see cref="IEventsClient"/> over the generated Refit client.</summary>
internal sealed class EventsClient(IEventsApi api, ClientContext context) : IEventsClient
{
    public async Task<EventReceipt> IngestAsync(MeterEvent meterEvent, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(meterEvent);
        Guard.NotBlank(meterEvent.Type, "meterEvent.Type");
        Guard.NotBlank(meterEvent.Source, "meterEvent.Source");
        if (string.IsNullOrWhiteSpace(meterEvent.Subject) && string.IsNullOrWhiteSpace(meterEvent.ExternalSubject))
        {
            throw new ArgumentException("Give meterEvent.Subject (the cus_ id) or meterEvent.ExternalSubject (your own customer id).", nameof(meterEvent));
        }

        ExternalIdFormat.Check(meterEvent.ExternalSubject, "meterEvent.ExternalSubject");
        ExternalIdFormat.Check(meterEvent.ExternalId, "meterEvent.ExternalId");
        Guard.NotNull(meterEvent.Data, "meterEvent.Data");
        if (meterEvent.IdempotencyKey is { } key && string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException("meterEvent.IdempotencyKey must not be blank when set.", nameof(meterEvent));
        }

        var body = meterEvent with { Timestamp = meterEvent.Timestamp ?? context.Time.GetUtcNow() };
        if (body.IdempotencyKey is null)
        {
            body = body with { IdempotencyKey = IdempotencyKeys.Derive(body, PaygenticJsonContext.Default.MeterEvent) };
        }

        return (await context.Invoker.SendAsync(() => api.IngestAsync(body, cancellationToken), PaygenticJsonContext.Default.EventReceipt, cancellationToken).ConfigureAwait(false)).Value;
    }
}

/// <summary>The API's <c>ExternalId</c> format, checked before sending so a typo fails here with the field's name.</summary>
internal static class ExternalIdFormat
{
    public const int MaxLength = 255;

    public static void Check(string? value, string name)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length is 0 or > MaxLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"{name} must be 1 to {MaxLength} letters, digits, '-' or '_'.", name);
        }
    }
}
