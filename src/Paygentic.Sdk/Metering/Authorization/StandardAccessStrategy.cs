using System.Collections.Concurrent;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering.Authorization;

/// <summary>
/// Standard billing: <c>GET /v1/entitlements?customerId&amp;featureKey&amp;productId</c> must list an entitlement with
/// <c>hasAccess</c>; the report is a meter event (<c>POST /v0/events</c>). A positive answer is cached for
/// <see cref="MeteringOptions.AccessCacheTtl"/>, so overuse is bounded by what that window lets through.
/// </summary>
internal sealed class StandardAccessStrategy(
    IEntitlementsClient entitlements,
    MeteringOptions options,
    TimeProvider time,
    MeteringMetrics metrics) : IAuthorizationStrategy
{
    private readonly ConcurrentDictionary<string, (string? EntitlementId, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public void Validate(MeteredOperation operation)
    {
        if (string.IsNullOrWhiteSpace(operation.FeatureKey ?? options.FeatureKey))
        {
            throw new ArgumentException("operation.FeatureKey (or MeteringOptions.FeatureKey) is required for the Standard strategy.", nameof(operation));
        }

        if (string.IsNullOrWhiteSpace(operation.ProductId ?? options.ProductId))
        {
            throw new ArgumentException("operation.ProductId (or MeteringOptions.ProductId) is required for the Standard strategy: feature keys resolve per product.", nameof(operation));
        }
    }

    public async ValueTask<MeteringTicket> AuthorizeAsync(MeteredOperation operation, string operationId, string issuerId, CancellationToken cancellationToken)
    {
        var featureKey = operation.FeatureKey ?? options.FeatureKey!;
        var productId = operation.ProductId ?? options.ProductId!;
        var key = string.Join('|', operation.CustomerId, featureKey, productId);
        var now = time.GetUtcNow();
        string? entitlementId;
        if (options.AccessCacheTtl > TimeSpan.Zero && _cache.TryGetValue(key, out var cached) && now < cached.Until)
        {
            metrics.PoolHits.Add(1, new KeyValuePair<string, object?>("kind", "access_cache"));
            entitlementId = cached.EntitlementId;
        }
        else
        {
            metrics.PoolMisses.Add(1, new KeyValuePair<string, object?>("kind", "access_cache"));
            entitlementId = await CheckAsync(operation, operationId, featureKey, productId, cancellationToken).ConfigureAwait(false);
            if (options.AccessCacheTtl > TimeSpan.Zero)
            {
                _cache[key] = (entitlementId, now + options.AccessCacheTtl);
            }
        }

        return new MeteringTicket
        {
            OperationId = operationId,
            CustomerId = operation.CustomerId,
            MerchantId = operation.MerchantId,
            Strategy = MeteringStrategy.Standard,
            AuthorizationId = entitlementId,
            // Copies: the ticket is written again on retries and must not follow the caller's dictionaries.
            Estimate = operation.EstimatedQuantities is { } estimate ? new Dictionary<string, long>(estimate, StringComparer.Ordinal) : new Dictionary<string, long>(),
            FeatureKey = featureKey,
            ProductId = productId,
            Metadata = operation.Metadata is { Count: > 0 } metadata ? new Dictionary<string, string>(metadata, StringComparer.Ordinal) : null,
            AuthorizedAt = time.GetUtcNow(),
            IssuerId = issuerId,
        };
    }

    // An access check holds nothing.
    public bool HoldsFundsPerOperation => false;

    public void Release(MeteringTicket ticket)
    {
        // Nothing is held for standard billing.
    }

    public PendingReport? BuildReport(MeteringTicket ticket, IReadOnlyDictionary<string, long> quantities, IReadOnlyDictionary<string, string>? metadata, DateTimeOffset now) => new()
    {
        // The event itself is the fact that the operation ran (COUNT metrics), so it is sent even with no quantities.
        Strategy = MeteringStrategy.Standard,
        IdempotencyKey = ticket.OperationId + ":event",
        CustomerId = ticket.CustomerId,
        MerchantId = ticket.MerchantId,
        Timestamp = now,
        // The guard's own map (see IAuthorizationStrategy.BuildReport); metadata may be the caller's, so it is copied.
        Quantities = quantities,
        EntitlementId = ticket.AuthorizationId,
        Metadata = metadata is { Count: > 0 } ? new Dictionary<string, string>(metadata, StringComparer.Ordinal) : null,
        EventType = options.EventType,
        EventSource = options.EventSource,
    };

    private async Task<string?> CheckAsync(MeteredOperation operation, string operationId, string featureKey, string productId, CancellationToken cancellationToken)
    {
        Page<EntitlementAccess> page;
        try
        {
            page = await entitlements.ListAccessPageAsync(
                new EntitlementAccessQuery { CustomerId = operation.CustomerId, FeatureKey = featureKey, ProductId = productId },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PaygenticApiException e) when (Denials.ReasonOf(e) is { } reason)
        {
            throw new PaygenticPaymentRequiredException(operation.CustomerId, operationId, reason, e);
        }

        var granted = page.Data.FirstOrDefault(a => a.HasAccess);
        if (granted is null)
        {
            throw new PaygenticPaymentRequiredException(operation.CustomerId, operationId, PaygenticPaymentRequiredException.NoAccess, null);
        }

        return granted.EntitlementId;
    }
}
