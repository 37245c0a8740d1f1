using System.Text.Json;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Usage;

/// <summary><c>/v0/usage</c>: create (idempotent by key), batch (201/207), get, list, refund.</summary>
internal static class UsageEndpoints
{
    private const int MaxBatch = 1000;

    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapPost("/v0/usage", context => CreateAsync(context, runtime));
        app.MapPost("/v0/usage/batch", context => BatchAsync(context, runtime));
        app.MapGet("/v0/usage", context => List(context).WriteAsync(context));
        app.MapGet("/v0/usage/{id}", context => Get(context).WriteAsync(context));
        app.MapMethods("/v0/usage/{id}", ["PATCH"], context => RefundAsync(context, runtime));
    }

    private static async Task CreateAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var request = await RequestBody.ReadAsync(context, EmulatorJson.Default.CreateUsageEventRequest).ConfigureAwait(false);
        if (request is not null)
        {
            await Create(context.Caller(), request, runtime.Now).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private static Answer Create(MerchantFeature caller, CreateUsageEventRequest request, DateTimeOffset now)
    {
        var (world, merchant) = caller;
        if (UsageCharging.Validate(request, merchant) is { } invalid)
        {
            return invalid.Answer;
        }

        lock (merchant.Gate)
        {
            var record = UsageCharging.Charge(world, merchant, request, now, out var refusal);
            return record is null
                ? refusal!.Answer
                : Answer.Json(StatusCodes.Status201Created, UsageCharging.ToBody(record), EmulatorJson.Default.UsageEventBody);
        }
    }

    private static async Task BatchAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var (document, failed) = await RequestBody.ReadDocumentAsync(context, optional: false).ConfigureAwait(false);
        if (failed || document is null)
        {
            return;
        }

        using (document)
        {
            await Batch(context.Caller(), document.RootElement, runtime.Now).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private static Answer Batch(MerchantFeature caller, JsonElement body, DateTimeOffset now)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            return Answer.Validation("events", "is required and must be an array", "REQUIRED");
        }

        var count = events.GetArrayLength();
        if (count is < 1 or > MaxBatch)
        {
            return Answer.Validation("events", "must hold 1 to 1000 events", "OUT_OF_RANGE");
        }

        var (world, merchant) = caller;

        // Parse and validate every item first (no lock needed), then charge them all under one lock.
        var requests = new CreateUsageEventRequest?[count];
        var failures = new List<BatchFailureBody>();
        var index = 0;
        foreach (var element in events.EnumerateArray())
        {
            var key = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("idempotencyKey", out var k) && k.ValueKind == JsonValueKind.String
                ? k.GetString() ?? ""
                : "";
            var prefix = $"events[{index}].";
            if (!TryRead(element, prefix, out var request, out var error))
            {
                failures.Add(new BatchFailureBody(index, key, error));
            }
            else if (UsageCharging.Validate(request!, merchant, prefix) is { } invalid)
            {
                failures.Add(new BatchFailureBody(index, key, invalid.Message));
            }
            else
            {
                requests[index] = request;
            }

            index++;
        }

        var successful = new List<UsageEventBody>(count);
        lock (merchant.Gate)
        {
            for (var i = 0; i < count; i++)
            {
                if (requests[i] is not { } request)
                {
                    continue;
                }

                var record = UsageCharging.Charge(world, merchant, request, now, out var refusal);
                if (record is null)
                {
                    failures.Add(new BatchFailureBody(i, request.IdempotencyKey!, refusal!.Message));
                }
                else
                {
                    successful.Add(UsageCharging.ToBody(record));
                }
            }
        }

        failures.Sort((a, b) => a.Index.CompareTo(b.Index));
        var response = new BatchUsageBody("batchUsageEvents", successful, failures, new BatchSummaryBody(count, successful.Count, failures.Count));
        return Answer.Json(failures.Count == 0 ? StatusCodes.Status201Created : StatusCodes.Status207MultiStatus, response, EmulatorJson.Default.BatchUsageBody);
    }

    private static bool TryRead(JsonElement element, string prefix, out CreateUsageEventRequest? request, out string error)
    {
        request = null;
        error = "";
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = prefix.TrimEnd('.') + " must be an object";
            return false;
        }

        try
        {
            request = element.Deserialize(EmulatorJson.Default.CreateUsageEventRequest);
            return request is not null;
        }
        catch (JsonException exception)
        {
            error = RequestBody.FieldOf(exception, prefix.TrimEnd('.')) + " has an invalid type or value";
            return false;
        }
    }

    private static Answer Get(HttpContext context)
    {
        var (world, merchant) = context.Caller();
        var id = Query.RouteId(context);
        lock (merchant.Gate)
        {
            if (merchant.UsageById.TryGetValue(id, out var record))
            {
                return Answer.Json(StatusCodes.Status200OK, UsageCharging.ToBody(record), EmulatorJson.Default.UsageEventBody);
            }
        }

        return world.BelongsToAnother(id, merchant) ? Answer.Forbidden("The usage event belongs to another merchant") : Answer.NotFound("Usage event");
    }

    private static Answer List(HttpContext context)
    {
        var (world, merchant) = context.Caller();
        var start = Query.DateTime(context, "startTime", out var startProblem);
        var end = Query.DateTime(context, "endTime", out var endProblem);
        var (limit, offset, pagingProblem) = Query.Paging(context);
        var tooLong = FieldLimits.QueryText(
            context, ("customerId", FieldLimits.Id), ("merchantId", FieldLimits.Id), ("consumerId", FieldLimits.Id), ("subscriptionId", FieldLimits.Id));
        if ((tooLong?.ToAnswer() ?? startProblem ?? endProblem ?? pagingProblem) is { } invalid)
        {
            return invalid;
        }

        if (start is null || end is null)
        {
            return Answer.Validation(start is null ? "startTime" : "endTime", "is required", "REQUIRED");
        }

        var customerId = Query.Text(context, "customerId");
        var merchantId = Query.Text(context, "merchantId");
        var consumerId = Query.Text(context, "consumerId");
        var subscriptionId = Query.Text(context, "subscriptionId");
        if (customerId is null && merchantId is null && consumerId is null && subscriptionId is null)
        {
            return Answer.Validation("customerId", "one of customerId, merchantId, consumerId or subscriptionId is required", "REQUIRED");
        }

        if ((merchantId is not null && merchantId != merchant.Id) || world.BelongsToAnother(customerId, merchant) || world.BelongsToAnother(subscriptionId, merchant))
        {
            return Answer.Forbidden("The filter names another merchant's objects");
        }

        lock (merchant.Gate)
        {
            var matches = new List<UsageEventBody>();
            foreach (var r in merchant.UsageOrder)
            {
                if (r.Timestamp >= start && r.Timestamp < end
                    && (customerId is null || r.CustomerId == customerId)
                    && (consumerId is null || r.ConsumerId == consumerId)
                    && (subscriptionId is null || r.SubscriptionId == subscriptionId))
                {
                    matches.Add(UsageCharging.ToBody(r));
                }
            }

            var (page, pagination) = Paging.Slice(matches, limit, offset);
            return Answer.Json(StatusCodes.Status200OK, new UsageListBody("list", page, pagination), EmulatorJson.Default.UsageListBody);
        }
    }

    private static async Task RefundAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var request = await RequestBody.ReadAsync(context, EmulatorJson.Default.RefundUsageRequest).ConfigureAwait(false);
        if (request is not null)
        {
            await Refund(context, request, runtime.Now).WriteAsync(context).ConfigureAwait(false);
        }
    }

    private static Answer Refund(HttpContext context, RefundUsageRequest request, DateTimeOffset now)
    {
        if ((FieldLimits.RouteId(context) ?? FieldLimits.Text(request.Reason, FieldLimits.Reason, "reason")) is { } tooLong)
        {
            return tooLong.ToAnswer();
        }

        if (request.Refunded is not true)
        {
            return Answer.Validation("refunded", "is required and must be true", "REQUIRED");
        }

        var (world, merchant) = context.Caller();
        var id = Query.RouteId(context);
        lock (merchant.Gate)
        {
            if (!merchant.UsageById.TryGetValue(id, out var record))
            {
                return world.BelongsToAnother(id, merchant) ? Answer.Forbidden("The usage event belongs to another merchant") : Answer.NotFound("Usage event");
            }

            if (record.Refunded)
            {
                return Answer.Error(StatusCodes.Status422UnprocessableEntity, "unprocessable_entity", "The usage event is already refunded", "ALREADY_REFUNDED");
            }

            var wallet = merchant.Wallets[record.CustomerId];
            wallet.ReleaseExpired(now);
            record.Refunded = true;
            record.RefundReason = request.Reason;
            record.RefundedAt = now;
            wallet.Refund(new RefundEntry(record.Id, record.IdempotencyKey, record.Amount, now, request.Reason));
            return Answer.Json(StatusCodes.Status200OK, UsageCharging.ToBody(record), EmulatorJson.Default.UsageEventBody);
        }
    }
}
