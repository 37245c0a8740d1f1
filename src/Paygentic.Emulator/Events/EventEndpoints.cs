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
            (request.ExternalSubject, FieldLimits.ExternalId, "externalSubject"),
            (request.ExternalId, FieldLimits.ExternalId, "externalId"),
            (request.IdempotencyKey, FieldLimits.IdempotencyKey, "idempotencyKey"));
        if (tooLong is { } violation)
        {
            return violation.ToAnswer();
        }

        foreach (var (field, value) in new[] { ("type", request.Type), ("source", request.Source) })
        {
            if (string.IsNullOrEmpty(value))
            {
                return Answer.Validation(field, "is required", "REQUIRED");
            }
        }

        // 2026-04-18 requires subject; 2026-08-06 accepts the merchant's own customer id (externalSubject) instead.
        if (string.IsNullOrEmpty(request.Subject) && string.IsNullOrEmpty(request.ExternalSubject))
        {
            return Answer.Validation("subject", "subject or externalSubject is required", "REQUIRED");
        }

        foreach (var (field, value) in new[] { ("externalSubject", request.ExternalSubject), ("externalId", request.ExternalId) })
        {
            if (value is not null && !IsExternalId(value))
            {
                return Answer.Validation(field, "must be 1 to 255 letters, digits, '-' or '_'", "INVALID_FORMAT");
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
                // subject wins when both are given; an external subject resolves through the customers' externalId.
                var subject = string.IsNullOrEmpty(request.Subject)
                    ? merchant.CustomersByExternalId.GetValueOrDefault(request.ExternalSubject!)?.Id
                    : request.Subject;
                stored = new EventRecord(
                    Ids.New("evt"), request.Type!, request.Source!, subject, merchant.Id, request.Timestamp ?? now, key, data.Clone(), now, request.ExternalSubject, request.ExternalId);
                merchant.EventsByKey.Add(key, stored);
                if (subject is not null)
                {
                    if (!merchant.EventsBySubject.TryGetValue(subject, out var list))
                    {
                        merchant.EventsBySubject[subject] = list = [];
                    }

                    list.Add(stored);
                    DrawDown(merchant, subject, stored, metrics);
                }
            }

            var body = new EventResponseBody(
                stored.Id, "event", stored.Type, stored.Source, stored.Subject, stored.Namespace, stored.Timestamp, stored.IdempotencyKey, stored.ExternalSubject, stored.ExternalId);
            return Answer.Json(StatusCodes.Status202Accepted, body, EmulatorJson.Default.EventResponseBody);
        }
    }

    /// <summary>Feeds the event to the subject's metered entitlements whose metric consumes its type.</summary>
    private static void DrawDown(MerchantState merchant, string subject, EventRecord stored, List<Metric> metrics)
    {
        foreach (var entitlement in merchant.FeatureEntitlementsOf(subject))
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

    private static bool IsExternalId(string value) =>
        value.Length is > 0 and <= FieldLimits.ExternalId && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
