using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering.Authorization;

/// <summary>
/// Legacy prepaid: a reservation (<c>POST /v0/entitlements</c>) holds funds before the work; the report
/// (<c>POST /v0/usage</c>) draws on it. With pooling, one reservation with <c>maxUses</c> N, sized for N estimates,
/// serves N operations of a customer; it is replaced when its uses run out or it nears expiry, so at most one
/// reservation's worth of funds is held ahead of use per customer and estimate. A pooled reservation is also written
/// to the outbox (<see cref="OutboxEntryState.Reservation"/>), so the next process reuses its remaining uses instead of
/// holding a second pool's worth (see <see cref="ReservationStore"/>).
/// </summary>
internal sealed class LegacyReservationStrategy(
    IEntitlementsClient entitlements,
    IUsageOutbox outbox,
    MeteringOptions options,
    TimeProvider time,
    MeteringMetrics metrics,
    ILogger logger) : IAuthorizationStrategy
{
    private readonly ConcurrentDictionary<PoolKey, Pool> _pools = new();
    private readonly ReservationStore _store = new(outbox);

    public bool HoldsFundsPerOperation => options.ReservationPoolSize <= 1;

    public void Validate(MeteredOperation operation)
    {
        if (operation.EstimatedQuantities is not { Count: > 0 } estimate)
        {
            throw new ArgumentException("operation.EstimatedQuantities must name at least one billable metric for the Legacy strategy (it sizes the reservation).", nameof(operation));
        }

        foreach (var (metric, quantity) in estimate)
        {
            Guard.NotBlank(metric, "operation.EstimatedQuantities key");
            if (quantity < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(operation), quantity, $"operation.EstimatedQuantities[{metric}] must not be negative.");
            }
        }
    }

    public async Task<MeteringTicket> AuthorizeAsync(MeteredOperation operation, string operationId, string issuerId, CancellationToken cancellationToken)
    {
        var estimate = operation.EstimatedQuantities!;
        var size = options.ReservationPoolSize;
        if (size <= 1)
        {
            metrics.PoolMisses.Add(1);
            var single = await ReserveAsync(operation, operationId, estimate, 1, cancellationToken).ConfigureAwait(false);
            return Ticket(operation, operationId, issuerId, single, estimate: null, time.GetUtcNow());
        }

        var key = new PoolKey(operation.CustomerId, operation.MerchantId, estimate);
        if (!_pools.TryGetValue(key, out var pool))
        {
            // The stored key owns a copy of the estimate: the caller's dictionary may change after this call.
            pool = _pools.GetOrAdd(key with { Estimate = new Dictionary<string, long>(estimate, StringComparer.Ordinal) }, static k => new Pool(k.Estimate));
        }

        if (pool.TryTake(time.GetUtcNow(), options.ReservationRefreshMargin) is { } hit)
        {
            metrics.PoolHits.Add(1);
            return Ticket(operation, operationId, issuerId, hit, pool.Estimate, time.GetUtcNow());
        }

        // One caller per pool creates the next reservation; the others wait for it instead of creating their own.
        await pool.Refill.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (pool.TryTake(time.GetUtcNow(), options.ReservationRefreshMargin) is { } refilled)
            {
                metrics.PoolHits.Add(1);
                return Ticket(operation, operationId, issuerId, refilled, pool.Estimate, time.GetUtcNow());
            }

            metrics.PoolMisses.Add(1);
            Reservation reservation;
            try
            {
                reservation = await ReserveAsync(operation, operationId, estimate, size, cancellationToken).ConfigureAwait(false);
            }
            catch (PaygenticPaymentRequiredException denied) when (denied.ReasonCode == PaygenticPaymentRequiredException.InsufficientFunds)
            {
                // The wallet cannot hold a whole pool: fall back to one operation's worth, unpooled.
                var single = await ReserveAsync(operation, operationId, estimate, 1, cancellationToken).ConfigureAwait(false);
                return Ticket(operation, operationId, issuerId, single, estimate: null, time.GetUtcNow());
            }

            var previous = pool.Install(reservation, size, time.GetUtcNow(), handedOut: 1);
            await _store.ReplaceAsync(previous, reservation, size, operation, pool.Estimate, time.GetUtcNow()).ConfigureAwait(false);
            return Ticket(operation, operationId, issuerId, reservation, pool.Estimate, time.GetUtcNow());
        }
        finally
        {
            pool.Refill.Release();
        }
    }

    /// <summary>Installs the pooled reservations an earlier process left with uses to spare (once, at start).</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (options.ReservationPoolSize <= 1)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (ticket, reservation, maxUses, used) in await _store.LoadUsableAsync(now, options.ReservationRefreshMargin, cancellationToken).ConfigureAwait(false))
        {
            var key = new PoolKey(ticket.CustomerId, ticket.MerchantId, ticket.Estimate);
            var pool = _pools.GetOrAdd(key, static k => new Pool(k.Estimate));
            pool.Install(reservation, maxUses, ticket.AuthorizedAt, used);
        }
    }

    public void Release(MeteringTicket ticket)
    {
        if (!ticket.Pooled || ticket.AuthorizationId is null)
        {
            return;
        }

        foreach (var pool in _pools.Values)
        {
            if (pool.TryGiveBack(ticket.AuthorizationId))
            {
                return;
            }
        }
    }

    public PendingReport? BuildReport(MeteringTicket ticket, IReadOnlyDictionary<string, long> quantities, IReadOnlyDictionary<string, string>? metadata, DateTimeOffset now)
    {
        // The API takes whole quantities ≥ 1: a metric used 0 times is simply not reported. The report keeps its own
        // copies: the inputs may be the caller's dictionaries, and the report is sent later.
        var charged = new Dictionary<string, long>(quantities.Count, StringComparer.Ordinal);
        foreach (var (metric, quantity) in quantities)
        {
            if (quantity >= 1)
            {
                charged[metric] = quantity;
            }
        }

        if (charged.Count == 0)
        {
            return null;
        }

        return new PendingReport
        {
            Strategy = MeteringStrategy.Legacy,
            IdempotencyKey = ticket.OperationId + ":usage",
            CustomerId = ticket.CustomerId,
            MerchantId = ticket.MerchantId,
            Timestamp = now,
            Quantities = charged,
            EntitlementId = ticket.AuthorizationId,
            Metadata = metadata is { Count: > 0 } ? new Dictionary<string, string>(metadata, StringComparer.Ordinal) : null,
        };
    }

    private async Task<Reservation> ReserveAsync(MeteredOperation operation, string operationId, IReadOnlyDictionary<string, long> estimate, int uses, CancellationToken cancellationToken)
    {
        var request = new CreateReservationRequest
        {
            CustomerId = operation.CustomerId,
            MerchantId = operation.MerchantId,
            Items = estimate.Select(e => new ReservationItem { BillableMetricId = e.Key, Quantity = (decimal)e.Value * uses }).ToList(),
            MaxUses = uses,
        };

        try
        {
            return await entitlements.CreateReservationAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (PaygenticApiException e) when (Denials.ReasonOf(e) is { } reason)
        {
            throw new PaygenticPaymentRequiredException(operation.CustomerId, operationId, reason, e);
        }
        catch (Exception e) when (e is PaygenticTimeoutException || (e is PaygenticTransportException and not PaygenticCircuitOpenException) || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // The request may have been applied with its answer lost: a hold may exist that nobody uses.
            metrics.OrphanHolds.Add(1);
            MeteringLog.PossibleOrphanHold(logger, operation.CustomerId, e.GetType().Name);
            throw;
        }
    }

    /// <summary>
    /// A ticket that owns what it holds: a pooled one shares its pool's copy of the estimate (frozen, one per pool), an
    /// unpooled one gets a copy; metadata is copied. The ticket is written again on every retry of its report, so it
    /// must not point at dictionaries the caller may refill for its next operation. <c>estimate</c> is the pool's
    /// estimate, or null for an unpooled reservation.
    /// </summary>
    private static MeteringTicket Ticket(MeteredOperation operation, string operationId, string issuerId, Reservation reservation, IReadOnlyDictionary<string, long>? estimate, DateTimeOffset authorizedAt) => new()
    {
        OperationId = operationId,
        CustomerId = operation.CustomerId,
        MerchantId = operation.MerchantId,
        Strategy = MeteringStrategy.Legacy,
        AuthorizationId = reservation.Id,
        AuthorizationExpiresAt = reservation.ExpiresAt,
        Pooled = estimate is not null,
        Estimate = estimate ?? new Dictionary<string, long>(operation.EstimatedQuantities!, StringComparer.Ordinal),
        Metadata = operation.Metadata is { Count: > 0 } metadata ? new Dictionary<string, string>(metadata, StringComparer.Ordinal) : null,
        AuthorizedAt = authorizedAt,
        IssuerId = issuerId,
    };

    /// <summary>
    /// Which pool serves an operation: one per customer, merchant and estimate (a reservation is sized for its
    /// estimate). Compared by content, in any order, without building a string for every operation.
    /// </summary>
#pragma warning disable CA1859 // a look-up key holds the caller's estimate, whatever dictionary type it is
    private readonly record struct PoolKey(string CustomerId, string? MerchantId, IReadOnlyDictionary<string, long> Estimate)
#pragma warning restore CA1859
    {
        public bool Equals(PoolKey other)
        {
            if (!string.Equals(CustomerId, other.CustomerId, StringComparison.Ordinal)
                || !string.Equals(MerchantId, other.MerchantId, StringComparison.Ordinal)
                || Estimate.Count != other.Estimate.Count)
            {
                return false;
            }

            foreach (var (metric, quantity) in Estimate)
            {
                if (!other.Estimate.TryGetValue(metric, out var otherQuantity) || otherQuantity != quantity)
                {
                    return false;
                }
            }

            return true;
        }

        public override int GetHashCode()
        {
            // Order-independent: the sum of the entries' hashes.
            var entries = 0;
            foreach (var (metric, quantity) in Estimate)
            {
                entries += HashCode.Combine(StringComparer.Ordinal.GetHashCode(metric), quantity);
            }

            return HashCode.Combine(StringComparer.Ordinal.GetHashCode(CustomerId), MerchantId is null ? 0 : StringComparer.Ordinal.GetHashCode(MerchantId), entries);
        }
    }

    /// <summary>One customer's (and estimate's) current pooled reservation and how many of its uses are handed out.</summary>
    private sealed class Pool(IReadOnlyDictionary<string, long> estimate)
    {
        /// <summary>The pool's own copy of the estimate its reservation is sized for.</summary>
        public IReadOnlyDictionary<string, long> Estimate { get; } = estimate;

        private readonly Lock _gate = new();
        private Reservation? _current;
        private int _maxUses;
        private int _handedOut;
        private DateTimeOffset _installedAt;

        public SemaphoreSlim Refill { get; } = new(1, 1);

        public Reservation? TryTake(DateTimeOffset now, TimeSpan refreshMargin)
        {
            lock (_gate)
            {
                if (_current is null || _handedOut >= _maxUses || (_current.ExpiresAt is { } expires && now >= RefreshAt(expires, refreshMargin)))
                {
                    return null;
                }

                _handedOut++;
                return _current;
            }
        }

        public bool TryGiveBack(string reservationId)
        {
            lock (_gate)
            {
                if (_current is null || !string.Equals(_current.Id, reservationId, StringComparison.Ordinal) || _handedOut == 0)
                {
                    return false;
                }

                _handedOut--;
                return true;
            }
        }

        /// <summary>Makes a reservation the pool's current one; returns the one it replaces.</summary>
        public Reservation? Install(Reservation reservation, int maxUses, DateTimeOffset installedAt, int handedOut)
        {
            lock (_gate)
            {
                var previous = _current;
                _current = reservation;
                _installedAt = installedAt;
                _maxUses = reservation.MaxUses is > 0 and var m ? Math.Min(m, maxUses) : maxUses;
                _handedOut = handedOut;
                return previous;
            }
        }

        /// <summary>
        /// When to stop handing out uses: the refresh margin before expiry, but never more than half the hold's life, so
        /// a hold shorter than the margin still serves its uses instead of being replaced by every operation.
        /// </summary>
        private DateTimeOffset RefreshAt(DateTimeOffset expires, TimeSpan refreshMargin)
        {
            var halfLife = (expires - _installedAt) / 2;
            return expires - (halfLife < refreshMargin ? halfLife : refreshMargin);
        }
    }
}
