using System.Collections.Concurrent;
using System.Net;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Metering.Tests.Infrastructure;

/// <summary>A scripted client: each call runs a replaceable delegate and is recorded.</summary>
public sealed class FakePaygentic : IPaygenticClient, IEntitlementsClient, IUsageClient, IEventsClient
{
    private int _reservations;

    /// <summary>A scripted client; reservations expire on <paramref name="time"/> (the test's fake clock), 10 hours on.</summary>
    public FakePaygentic(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        OnReserve = request => Task.FromResult(new Reservation
        {
            Id = "com_" + Interlocked.Increment(ref _reservations),
            MaxUses = request.MaxUses,
            ExpiresAt = time.GetUtcNow().AddHours(10),
        });
        OnUsage = report => Task.FromResult(new UsageEvent { Id = "usg_" + report.IdempotencyKey!.GetHashCode(StringComparison.Ordinal) });
        OnBatch = reports => Task.FromResult(new UsageBatchResult
        {
            Successful = reports.Select(r => new UsageEvent { Id = "usg_x" }).ToList(),
            Failed = [],
            Total = reports.Count,
        });
        OnEvent = e => Task.FromResult(new EventReceipt { Id = "evt_1", IdempotencyKey = e.IdempotencyKey });
        OnAccess = q => Task.FromResult(new Page<EntitlementAccess>([new EntitlementAccess { EntitlementId = "ent_1", HasAccess = true }], 10, 0, 1));
    }

    public Func<CreateReservationRequest, Task<Reservation>> OnReserve { get; set; }

    public Func<UsageReport, Task<UsageEvent>> OnUsage { get; set; }

    public Func<IReadOnlyList<UsageReport>, Task<UsageBatchResult>> OnBatch { get; set; }

    public Func<MeterEvent, Task<EventReceipt>> OnEvent { get; set; }

    public Func<EntitlementAccessQuery, Task<Page<EntitlementAccess>>> OnAccess { get; set; }

    public ConcurrentQueue<CreateReservationRequest> Reservations { get; } = new();

    public ConcurrentQueue<UsageReport> UsageSent { get; } = new();

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public ConcurrentQueue<MeterEvent> EventsSent { get; } = new();

    private int _accessChecks;

    public int AccessChecks => Volatile.Read(ref _accessChecks);

    public ICustomersClient Customers => throw new NotSupportedException();

    public ISubscriptionsClient Subscriptions => throw new NotSupportedException();

    public IEntitlementsClient Entitlements => this;

    public IUsageClient Usage => this;

    public IEventsClient Events => this;

    public static PaygenticApiException ApiError(HttpStatusCode status, string? code = null, string? message = null)
    {
        var response = new ApiErrorResponse { StatusCode = status, Code = code, Message = message ?? code ?? status.ToString() };
        return (int)status switch
        {
            400 => new PaygenticBadRequestException(response),
            404 => new PaygenticNotFoundException(response),
            409 => new PaygenticConflictException(response),
            422 => new PaygenticUnprocessableEntityException(response),
            429 => new PaygenticRateLimitException(response),
            >= 500 => new PaygenticServerException(response),
            _ => new PaygenticApiException(response),
        };
    }

    public Task<Reservation> CreateReservationAsync(CreateReservationRequest request, CancellationToken cancellationToken = default)
    {
        Reservations.Enqueue(request);
        return OnReserve(request);
    }

    public Task<UsageEvent> CreateAsync(UsageReport report, CancellationToken cancellationToken = default)
    {
        UsageSent.Enqueue(report);
        return OnUsage(report);
    }

    public Task<UsageBatchResult> CreateBatchAsync(IReadOnlyList<UsageReport> reports, CancellationToken cancellationToken = default)
    {
        BatchSizes.Enqueue(reports.Count);
        foreach (var r in reports)
        {
            UsageSent.Enqueue(r);
        }

        return OnBatch(reports);
    }

    public Task<EventReceipt> IngestAsync(MeterEvent meterEvent, CancellationToken cancellationToken = default)
    {
        EventsSent.Enqueue(meterEvent);
        return OnEvent(meterEvent);
    }

    public Task<Page<EntitlementAccess>> ListAccessPageAsync(EntitlementAccessQuery query, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _accessChecks);
        return OnAccess(query);
    }

    public Task<IReadOnlyList<ActiveEntitlement>> ListActiveAsync(string customerId, string? productId = null, string? subscriptionId = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<EntitlementAccess> ListAccessAsync(EntitlementAccessQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<EntitlementDetail> GetAsync(string entitlementId, DateTimeOffset? at = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<EntitlementDetail> IssueAsync(IssueEntitlementRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    Task<UsageEvent> IUsageClient.GetAsync(string usageEventId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<UsageEvent>> ListPageAsync(UsageListOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<UsageEvent> ListAsync(UsageListOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<UsageEvent> RefundAsync(string usageEventId, string? reason = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
