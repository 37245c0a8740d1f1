namespace Paygentic.Sdk.Events;

/// <summary>Standard-billing usage: meter events (<c>/v0/events</c>).</summary>
public interface IEventsClient
{
    /// <summary>
    /// Sends one meter event (202 accepted). Retries reuse the idempotency key. A type that no billable metric
    /// listens to fails with <see cref="PaygenticInvalidEventTypeException"/>.
    /// </summary>
    /// <param name="meterEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<EventReceipt> IngestAsync(MeterEvent meterEvent, CancellationToken cancellationToken = default);
}
