using Paygentic.Sdk.Http;
using Refit;

namespace Paygentic.Sdk.Events;

/// <summary>The event ingestion endpoint as Refit sees it.</summary>
internal interface IEventsApi
{
    [Post("/v0/events")]
    [Headers(RetryDeclaration.Safe)]
    Task<HttpResponseMessage> IngestAsync([Body(buffered: true)] MeterEvent meterEvent, CancellationToken cancellationToken);
}
