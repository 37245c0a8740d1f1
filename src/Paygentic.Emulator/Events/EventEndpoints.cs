using System.Text.Json;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Events;

/// <summary>
/// <c>POST /v0/events</c>: 202 for an event whose <c>type</c> some billable metric consumes (422
/// <c>invalid_event_type</c> otherwise), de-duplicated by idempotency key; the subject customer's metered v1
/// entitlements on those metrics are drawn down.
/// </summary>
internal static class EventEndpoints
{
    public static void Map(WebApplication app, EmulatorRuntime runtime) =>
        app.MapPost("/v0/events", context => IngestAsync(context, runtime));

    private static async Task IngestAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var request = await RequestBody.ReadAsync(context, EmulatorJson.Default.IngestEventRequest).ConfigureAwait(false);
        if (request is not null)
        {
            await Ingest(context.Caller(), request, runtime.Now).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private static Answer Ingest(MerchantFeature caller, IngestEventRequest request, DateTimeOffset now)
    {
        // The subject is a customer id and the namespace a merchant id; sizes come before the namespace's 403.
        var tooLong = FieldLimits.First(
            (request.Type, FieldLimits.EventType, "type"),
            (request.Source, FieldLimits.Url, "source"),
            (request.Subject, FieldLimits.Id, "subject"),
            (request.Namespace, FieldLimits.Id, "namespace"),
            (request.IdempotencyKey, FieldLimits.IdempotencyKey, "idempotencyKey"));
        if (tooLong is { } violation)
        {
            return violation.ToAnswer();
        }

        foreach (var (field, value) in new[] { ("type", request.Type), ("source", request.Source), ("subject", request.Subject) })
        {
            if (string.IsNullOrEmpty(value))
            {
                return Answer.Validation(field, "is required", "REQUIRED");
            }
        }

        if (request.Data is not { ValueKind: JsonValueKind.Object } data)
        {
            return Answer.Validation("data", "is required and must be an object", "REQUIRED");
        }

        var (_, merchant) = caller;
        if (request.Namespace is not null && request.Namespace != merchant.Id)
        {
            return Answer.Forbidden("namespace does not match the API key's merchant");
        }

        var metrics = merchant.Metrics.Values.Where(m => m.EventType == request.Type).ToList();
        if (metrics.Count == 0)
        {
            return Answer.Error(
                StatusCodes.Status422UnprocessableEntity,
                "invalid_event_type",
                $"No billable metric of this merchant has eventType '{request.Type}'",
                "INVALID_EVENT_TYPE");
        }

        lock (merchant.Gate)
        {
            var key = request.IdempotencyKey ?? Ids.New("idk");
            if (!merchant.EventsByKey.TryGetValue(key, out var stored))
            {
                stored = new EventRecord(Ids.New("evt"), request.Type!, request.Source!, request.Subject!, merchant.Id, request.Timestamp ?? now, key, data.Clone(), now);
                merchant.EventsByKey.Add(key, stored);
                if (!merchant.EventsBySubject.TryGetValue(stored.Subject, out var list))
                {
                    merchant.EventsBySubject[stored.Subject] = list = [];
                }

                list.Add(stored);
                DrawDown(merchant, stored, metrics);
            }

            var body = new EventResponseBody(stored.Id, "event", stored.Type, stored.Source, stored.Subject, stored.Namespace, stored.Timestamp, stored.IdempotencyKey);
            return Answer.Json(StatusCodes.Status202Accepted, body, EmulatorJson.Default.EventResponseBody);
        }
    }

    /// <summary>Feeds the event to the subject's metered entitlements whose metric consumes its type.</summary>
    private static void DrawDown(MerchantState merchant, EventRecord stored, List<Metric> metrics)
    {
        foreach (var entitlement in merchant.FeatureEntitlementsOf(stored.Subject))
        {
            if (!entitlement.IsMetered || entitlement.StatusAt(stored.Timestamp) != "active" || stored.Timestamp < entitlement.ActiveFrom)
            {
                continue;
            }

            var metric = metrics.Find(m => m.Id == entitlement.Feature.BillableMetricId);
            if (metric is null)
            {
                continue;
            }

            if (metric.Aggregation == "COUNT")
            {
                entitlement.Record(stored.Timestamp, 1);
            }
            else if (JsonPathValue.TryRead(stored.Data, metric.ValueProperty!, out var value))
            {
                entitlement.Record(stored.Timestamp, value);
            }
        }
    }
}
