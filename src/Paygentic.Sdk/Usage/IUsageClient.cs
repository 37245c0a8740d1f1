namespace Paygentic.Sdk.Usage;

/// <summary>Legacy prepaid usage reporting (<c>/v0/usage</c>): each report is charged from the wallet or a reservation.</summary>
public interface IUsageClient
{
    /// <summary>Reports usage once. Retries reuse the same idempotency key, so a report is never charged twice.</summary>
    /// <param name="report">The usage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<UsageEvent> CreateAsync(UsageReport report, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reports many usages, 1000 per call. Items fail independently: refused ones are in
    /// <see cref="UsageBatchResult.Failed"/> with their index in <paramref name="reports"/>.
    /// </summary>
    /// <param name="reports">The usages.</param>
    /// <param name="cancellationToken">Cancels the remaining calls.</param>
    Task<UsageBatchResult> CreateBatchAsync(IReadOnlyList<UsageReport> reports, CancellationToken cancellationToken = default);

    /// <summary>Gets a usage event.</summary>
    /// <param name="usageEventId">The event id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<UsageEvent> GetAsync(string usageEventId, CancellationToken cancellationToken = default);

    /// <summary>Gets one page of usage events in a time window.</summary>
    /// <param name="options">Window, filters and paging.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Page<UsageEvent>> ListPageAsync(UsageListOptions options, CancellationToken cancellationToken = default);

    /// <summary>Streams the usage events in a time window.</summary>
    /// <param name="options">Window, filters and paging.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<UsageEvent> ListAsync(UsageListOptions options, CancellationToken cancellationToken = default);

    /// <summary>Refunds a usage event (irreversible; 422 when already refunded).</summary>
    /// <param name="usageEventId">The event id.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<UsageEvent> RefundAsync(string usageEventId, string? reason = null, CancellationToken cancellationToken = default);
}
