using System.Globalization;
using System.Net;
using Paygentic.Sdk.Http;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Usage;

/// <summary>The <see cref="IUsageClient"/> over the generated Refit client.</summary>
internal sealed class UsageClient(IUsageApi api, ClientContext context) : IUsageClient
{
    /// <summary>The API's batch limit.</summary>
    internal const int MaxBatchSize = 1000;

    /// <summary>The merchant a report without one is sent for (the client's configured one), or null.</summary>
    internal string? DefaultMerchantId => context.MerchantId;

    // About what one report takes in a batch body (a typical one is ~250 bytes): sizes the first buffer, no more.
    private const int ReportSizeHint = 320;

    public async Task<UsageEvent> CreateAsync(UsageReport report, CancellationToken cancellationToken = default)
    {
        // Serialized once, synchronously, into a pooled buffer that every attempt sends (Refit's buffered body took
        // the async serializer and a copy per call).
        using var body = PooledJsonContent.Create(Prepare(report, -1), PaygenticJsonContext.Default.UsageReport, ReportSizeHint);
        return (await context.Invoker.SendAsync(() => api.CreateAsync(body, cancellationToken), PaygenticJsonContext.Default.UsageEvent, cancellationToken).ConfigureAwait(false)).Value;
    }

    public Task<UsageBatchResult> CreateBatchAsync(IReadOnlyList<UsageReport> reports, CancellationToken cancellationToken = default) =>
        CreateBatchAsync(reports, keepEvents: true, cancellationToken);

    /// <summary>
    /// The batch call. <paramref name="keepEvents"/> false skips the answer's successful events instead of
    /// materializing them (<see cref="UsageBatchResult.Successful"/> is then empty), as the background reporter's
    /// batches do (<see cref="SendWrittenBatchAsync"/>, through the same <see cref="SendChunkAsync"/>): it needs only the
    /// failures, and parsing a thousand events it drops cost it about a third of its CPU time.
    /// </summary>
    internal async Task<UsageBatchResult> CreateBatchAsync(IReadOnlyList<UsageReport> reports, bool keepEvents, CancellationToken cancellationToken)
    {
        Guard.NotNull(reports);
        if (reports.Count == 0)
        {
            throw new ArgumentException("reports must contain at least one usage report.", nameof(reports));
        }

        // Validate and fix every key before the first call, so no chunk is sent when a later one is invalid.
        var prepared = new UsageReport[reports.Count];
        for (var i = 0; i < reports.Count; i++)
        {
            prepared[i] = Prepare(reports[i], i);
        }

        var successful = new List<UsageEvent>(prepared.Length);
        var failed = new List<UsageBatchFailure>();
        var partial = false;
        var calls = 0;
        for (var start = 0; start < prepared.Length; start += MaxBatchSize)
        {
            var chunk = new ArraySegment<UsageReport>(prepared, start, Math.Min(MaxBatchSize, prepared.Length - start));

            // Serialized once into a pooled buffer and sent from there (retries included); returned when the call ends.
            using var body = PooledJsonContent.Create(new UsageBatchBody(chunk), PaygenticJsonContext.Default.UsageBatchBody, chunk.Count * ReportSizeHint);
            partial |= await SendChunkAsync(body, start, keepEvents ? successful : null, failed, cancellationToken).ConfigureAwait(false);
            calls++;
        }

        return new UsageBatchResult { Successful = successful, Failed = failed, Total = prepared.Length, IsPartial = partial || failed.Count > 0, Calls = calls };
    }

    /// <summary>
    /// Sends one batch body its caller wrote: at most <see cref="MaxBatchSize"/> reports, each checked and complete
    /// (merchant, timestamp and key filled). Only the answer's failures are read, as with <c>keepEvents</c> false.
    /// </summary>
    internal async Task<UsageBatchResult> SendWrittenBatchAsync(PooledJsonContent body, int count, CancellationToken cancellationToken)
    {
        var failed = new List<UsageBatchFailure>();
        var partial = await SendChunkAsync(body, 0, successful: null, failed, cancellationToken).ConfigureAwait(false);
        return new UsageBatchResult { Successful = [], Failed = failed, Total = count, IsPartial = partial || failed.Count > 0, Calls = 1 };
    }

    /// <summary>
    /// Sends one chunk of a batch and adds its failures, their indexes offset by <paramref name="start"/>. The answer's
    /// successful events are read into <paramref name="successful"/>, or skipped unread when it is null. Returns whether
    /// the answer was a partial success (207).
    /// </summary>
    private async Task<bool> SendChunkAsync(PooledJsonContent body, int start, List<UsageEvent>? successful, List<UsageBatchFailure> failed, CancellationToken cancellationToken)
    {
        bool partial;
        List<UsageBatchResponseFailure>? failures;
        if (successful is not null)
        {
            var result = await context.Invoker.SendAsync(() => api.CreateBatchAsync(body, cancellationToken), PaygenticJsonContext.Default.UsageBatchResponse, cancellationToken).ConfigureAwait(false);
            partial = result.StatusCode == HttpStatusCode.MultiStatus;
            successful.AddRange(result.Value.Successful ?? []);
            failures = result.Value.Failed;
        }
        else
        {
            var result = await context.Invoker.SendAsync(() => api.CreateBatchAsync(body, cancellationToken), PaygenticJsonContext.Default.UsageBatchAck, cancellationToken).ConfigureAwait(false);
            partial = result.StatusCode == HttpStatusCode.MultiStatus;
            failures = result.Value.Failed;
        }

        foreach (var failure in failures ?? [])
        {
            failed.Add(new UsageBatchFailure(start + failure.Index, failure.IdempotencyKey, failure.Error ?? "unspecified error"));
        }

        return partial;
    }

    public async Task<UsageEvent> GetAsync(string usageEventId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(usageEventId);
        return (await context.Invoker.SendAsync(() => api.GetAsync(usageEventId, cancellationToken), PaygenticJsonContext.Default.UsageEvent, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<Page<UsageEvent>> ListPageAsync(UsageListOptions options, CancellationToken cancellationToken = default)
    {
        Validate(options);
        var result = await context.Invoker.SendAsync(
            () => api.ListAsync(Format(options.StartTime), Format(options.EndTime), options.CustomerId, options.MerchantId, options.ConsumerId, options.SubscriptionId, options.Limit, options.Offset, cancellationToken),
            PaygenticJsonContext.Default.ListEnvelopeUsageEvent,
            cancellationToken).ConfigureAwait(false);
        return result.Value.ToPage(options.Limit, options.Offset);
    }

    public IAsyncEnumerable<UsageEvent> ListAsync(UsageListOptions options, CancellationToken cancellationToken = default)
    {
        Validate(options);
        return Pager.EnumerateAsync(
            (offset, ct) => ListPageAsync(
                new UsageListOptions { StartTime = options.StartTime, EndTime = options.EndTime, CustomerId = options.CustomerId, MerchantId = options.MerchantId, ConsumerId = options.ConsumerId, SubscriptionId = options.SubscriptionId, Limit = options.Limit, Offset = offset },
                ct),
            options.Offset,
            cancellationToken);
    }

    public async Task<UsageEvent> RefundAsync(string usageEventId, string? reason = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(usageEventId);
        var body = new UsageRefundBody(true, reason);
        return (await context.Invoker.SendAsync(() => api.RefundAsync(usageEventId, body, cancellationToken), PaygenticJsonContext.Default.UsageEvent, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>
    /// Checks a report and fills merchant, timestamp and idempotency key once, before any attempt. <paramref name="index"/>
    /// is its position in a batch (-1 for a single report), used only to name a bad field: the names are built when a
    /// check fails, not for every report, and a report that needs nothing filled is used as it is (records are
    /// immutable), so a batch of 1000 valid reports costs no strings and at most one copy each.
    /// </summary>
    private UsageReport Prepare(UsageReport? report, int index)
    {
        if (report is null)
        {
            throw new ArgumentNullException(Name(index));
        }

        if (string.IsNullOrWhiteSpace(report.CustomerId))
        {
            Guard.NotBlank(report.CustomerId, $"{Name(index)}.CustomerId");
        }

        if (report.Properties is null || report.Properties.Count == 0)
        {
            throw new ArgumentException($"{Name(index)}.Properties must contain at least one metric quantity.", Name(index));
        }

        for (var i = 0; i < report.Properties.Count; i++)
        {
            var property = report.Properties[i] ?? throw new ArgumentException($"{Name(index)}.Properties[{i}] is null.", Name(index));
            if (string.IsNullOrWhiteSpace(property.BillableMetricId))
            {
                Guard.NotBlank(property.BillableMetricId, $"{Name(index)}.Properties[{i}].BillableMetricId");
            }

            if (property.Quantity < 1)
            {
                throw new ArgumentOutOfRangeException(Name(index), property.Quantity, $"{Name(index)}.Properties[{i}].Quantity must be a whole number of at least 1 (was {property.Quantity}).");
            }

            if (property.Price is { } price)
            {
                UsdAmount.Validate(price, $"{Name(index)}.Properties[{i}].Price");
            }
        }

        if (report.IdempotencyKey is { } key && string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException($"{Name(index)}.IdempotencyKey must not be blank when set.", Name(index));
        }

        var merchant = !string.IsNullOrWhiteSpace(report.MerchantId) ? report.MerchantId
            : !string.IsNullOrWhiteSpace(context.MerchantId) ? context.MerchantId
            : Guard.Merchant(report.MerchantId, context.MerchantId, $"{Name(index)}.MerchantId");
        var prepared = ReferenceEquals(merchant, report.MerchantId) && report.Timestamp is not null
            ? report
            : report with { MerchantId = merchant, Timestamp = report.Timestamp ?? context.Time.GetUtcNow() };
        return prepared.IdempotencyKey is null
            ? prepared with { IdempotencyKey = IdempotencyKeys.Derive(prepared, PaygenticJsonContext.Default.UsageReport) }
            : prepared;
    }

    private static string Name(int index) => index < 0 ? "report" : $"reports[{index}]";

    private static void Validate(UsageListOptions options)
    {
        Guard.NotNull(options);
        options.ValidatePaging();
        if (options.EndTime < options.StartTime)
        {
            throw new ArgumentException("options.EndTime must not be before options.StartTime.", nameof(options));
        }

        if (options.CustomerId is null && options.MerchantId is null && options.ConsumerId is null && options.SubscriptionId is null)
        {
            throw new ArgumentException("Listing usage needs at least one of CustomerId, MerchantId, ConsumerId or SubscriptionId.", nameof(options));
        }
    }

    private static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
