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
        Guard.NotBlank(meterEvent.Subject, "meterEvent.Subject");
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
