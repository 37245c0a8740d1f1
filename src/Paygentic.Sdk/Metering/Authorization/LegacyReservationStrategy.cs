using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering.Authorization;

/// <summary>
/// Legacy prepaid: a reservation (<c>POST /v0/entitlements</c>) holds funds before the work; the report
/// (<c>POST /v0/usage</c>) draws on it. With pooling, one reservation with <c>maxUses</c> N, sized for N estimates,
/// serves N operations of a customer; it is replaced when its uses run out or it nears expiry, so at most one
/// reservation's worth of funds is held ahead of use per customer and estimate (and, once half of it is used, the next
/// one, made ahead). N starts at <see cref="MeteringOptions.ReservationPoolSize"/> and follows the demand up to
/// <see cref="MeteringOptions.ReservationPoolMaxSize"/> (see <see cref="ReservationPool"/>). A pooled reservation is
/// also written to the outbox (<see cref="OutboxEntryState.Reservation"/>), so the next process reuses its remaining
/// uses instead of holding a second pool's worth (see <see cref="ReservationStore"/>), unless callers store their tickets
/// (<see cref="MeteringOptions.CallerStoresTickets"/>): the taken uses are counted from the outbox's rows, and their
/// tickets leave none, so then pools are neither stored nor restored.
/// </summary>
internal sealed class LegacyReservationStrategy(
    IEntitlementsClient entitlements,
    IUsageOutbox outbox,
    MeteringOptions options,
    TimeProvider time,
    MeteringMetrics metrics,
    ILogger logger) : IAuthorizationStrategy
{
    private readonly ConcurrentDictionary<PoolKey, ReservationPool> _pools = new();

    // Refills made ahead and still running: stopping waits for them, so a hold made at the last moment is stored for
    // the next process rather than left on the server unknown until it expires.
    private readonly ConcurrentDictionary<Task, byte> _refills = new();
    private readonly ReservationStore _store = new(outbox);
    private readonly bool _storesPools = !options.CallerStoresTickets;

    public bool HoldsFundsPerOperation => options.ReservationPoolSize <= 1;

    public void Validate(MeteredOperation operation)
    {
        if (operation.EstimatedQuantities is not { Count: > 0 } estimate)
        {
            throw new ArgumentException("operation.EstimatedQuantities must name at least one billable metric for the Legacy strategy (it sizes the reservation).", nameof(operation));
        }

        foreach (var (metric, quantity) in new MapEntries<long>(estimate))
        {
            Guard.NotBlank(metric, "operation.EstimatedQuantities key");
            if (quantity < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(operation), quantity, $"operation.EstimatedQuantities[{metric}] must not be negative.");
            }
        }
    }

    public async ValueTask<MeteringTicket> AuthorizeAsync(MeteredOperation operation, string operationId, string issuerId, CancellationToken cancellationToken)
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
            pool = _pools.GetOrAdd(key with { Estimate = new Dictionary<string, long>(estimate, StringComparer.Ordinal) }, NewPool, options);
        }

        if (Take(pool, operation) is { } hit)
        {
            metrics.PoolHits.Add(1);
            return Ticket(operation, operationId, issuerId, hit, pool.Estimate, time.GetUtcNow());
        }

        // One caller per pool creates the next reservation; the others (and a refill made ahead) are waited for instead.
        await pool.Refill.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Take(pool, operation) is { } refilled)
            {
                metrics.PoolHits.Add(1);
                return Ticket(operation, operationId, issuerId, refilled, pool.Estimate, time.GetUtcNow());
            }

            metrics.PoolMisses.Add(1);
            size = pool.BeginReserving();
            var made = false;
            try
            {
                Reservation reservation;
                try
                {
                    reservation = await ReserveAsync(operation, operationId, estimate, size, cancellationToken).ConfigureAwait(false);
                }
                catch (PaygenticPaymentRequiredException denied) when (denied.ReasonCode == PaygenticPaymentRequiredException.InsufficientFunds)
                {
                    // The wallet cannot hold a whole pool: fall back to one operation's worth, unpooled, and to the
                    // configured size for the next reservation.
                    pool.Refused();
                    var single = await ReserveAsync(operation, operationId, estimate, 1, cancellationToken).ConfigureAwait(false);
                    return Ticket(operation, operationId, issuerId, single, estimate: null, time.GetUtcNow());
                }

                // Others take uses of it at once; the refill ahead waits until its row is stored (the reserving ends).
                var previous = pool.Install(reservation, size, time.GetUtcNow(), handedOut: 1);
                made = true;
                if (_storesPools)
                {
                    await _store.ReplaceAsync(previous, reservation, size, operation.CustomerId, operation.MerchantId, pool.Estimate, time.GetUtcNow()).ConfigureAwait(false);
                }

                return Ticket(operation, operationId, issuerId, reservation, pool.Estimate, time.GetUtcNow());
            }
            finally
            {
                LogResize(pool.EndReserving(made), operation.CustomerId);
            }
        }
        finally
        {
            pool.Refill.Release();
        }
    }

    /// <summary>
    /// One use from the pool. When this use leaves the current reservation half spent, the next one is created in the
    /// background (<see cref="MeteringOptions.ReservationRefillAhead"/>) if the pool's refill gate is free at once (the
    /// pool takes it); a reservation the pool moved past has its stored row removed in the background too. Neither
    /// waits here.
    /// </summary>
    private Reservation? Take(ReservationPool pool, MeteredOperation operation)
    {
        var use = pool.TryTake(time.GetUtcNow(), options.ReservationRefreshMargin, options.ReservationRefillAhead, out var refillAhead, out var retired);
        if (retired is not null && _storesPools)
        {
            ForgetInBackground(retired);
        }

        if (refillAhead)
        {
            RefillAheadInBackground(pool, operation.CustomerId, operation.MerchantId, pool.Size);
        }

        return use;
    }

    // Pools grow only when refilled ahead (see MeteringOptions.ReservationPoolMaxSize).
    private static ReservationPool NewPool(PoolKey key, MeteringOptions options) =>
        new(key.Estimate, options.ReservationPoolSize, options.ReservationRefillAhead ? Math.Max(options.ReservationPoolSize, options.ReservationPoolMaxSize) : options.ReservationPoolSize);

    // Lambdas in methods of their own: a closure over Take's locals would be allocated on every call of Take.
    private void ForgetInBackground(Reservation retired) => _ = Task.Run(() => _store.ForgetAsync(retired));

    private void RefillAheadInBackground(ReservationPool pool, string customerId, string? merchantId, int size)
    {
        var refill = Task.Run(() => RefillAheadAsync(pool, customerId, merchantId, size));
        _refills.TryAdd(refill, 0);
        refill.ContinueWith(static (done, refills) => ((ConcurrentDictionary<Task, byte>)refills!).TryRemove(done, out _), _refills, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits for the refills made ahead that are still running (they never throw), or until the token fires.</summary>
    public async Task WaitForRefillsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_refills.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Out of time: a hold still being made may be left until it expires.
        }
    }

    /// <summary>Creates the pool's next reservation while its current one still serves; a failure leaves it to the caller that finds the pool empty.</summary>
    private async Task RefillAheadAsync(ReservationPool pool, string customerId, string? merchantId, int size)
    {
        Reservation? next = null;
        try
        {
            // Not a pool miss: no operation waits for this reservation (a miss counts an authorization that made one).
            next = await ReserveAsync(new MeteredOperation { CustomerId = customerId, MerchantId = merchantId, EstimatedQuantities = pool.Estimate }, "(refill ahead)", pool.Estimate, size, CancellationToken.None).ConfigureAwait(false);
            if (_storesPools)
            {
                await _store.ReplaceAsync(null, next, size, customerId, merchantId, pool.Estimate, time.GetUtcNow()).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // refused or failed: the operation that finds the pool empty reserves (and reports) for itself
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (e is PaygenticPaymentRequiredException { ReasonCode: PaygenticPaymentRequiredException.InsufficientFunds })
            {
                pool.Refused();
            }

            var error = e.GetType().Name;
            MeteringLog.RefillAheadFailed(logger, customerId, error);
        }
        finally
        {
            try
            {
                LogResize(pool.EndRefillAhead(next, size, time.GetUtcNow()), customerId);
            }
            finally
            {
                pool.Refill.Release();
            }
        }
    }

    private void LogResize(int? resized, string customerId)
    {
        if (resized is { } uses)
        {
            MeteringLog.PoolResized(logger, customerId, uses);
        }
    }

    /// <summary>Installs the pooled reservations an earlier process left with uses to spare (once, at start).</summary>
    public async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (options.ReservationPoolSize <= 1)
        {
            return;
        }

        if (!_storesPools)
        {
            // Rows an earlier process stored without the option: their counts would miss the uses taken from now on.
            await _store.ForgetAllAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (ticket, reservation, maxUses, used) in await _store.LoadUsableAsync(now, options.ReservationRefreshMargin, cancellationToken).ConfigureAwait(false))
        {
            var key = new PoolKey(ticket.CustomerId, ticket.MerchantId, ticket.Estimate);
            var pool = _pools.GetOrAdd(key, NewPool, options);
            pool.Restore(reservation, maxUses, ticket.AuthorizedAt, used, now, options.ReservationRefreshMargin);
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
        // The API takes whole quantities ≥ 1: a metric used 0 times is simply not reported. The quantities are the guard's
        // own map (see IAuthorizationStrategy.BuildReport): kept as they are unless some must be left out.
        var billable = 0;
        foreach (var (_, quantity) in new MapEntries<long>(quantities))
        {
            if (quantity >= 1)
            {
                billable++;
            }
        }

        if (billable == 0)
        {
            return null;
        }

        var charged = quantities;
        if (billable < quantities.Count)
        {
            var some = new Dictionary<string, long>(billable, StringComparer.Ordinal);
            foreach (var (metric, quantity) in new MapEntries<long>(quantities))
            {
                if (quantity >= 1)
                {
                    some[metric] = quantity;
                }
            }

            charged = some;
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

            foreach (var (metric, quantity) in new MapEntries<long>(Estimate))
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
            foreach (var (metric, quantity) in new MapEntries<long>(Estimate))
            {
                entries += HashCode.Combine(StringComparer.Ordinal.GetHashCode(metric), quantity);
            }

            return HashCode.Combine(StringComparer.Ordinal.GetHashCode(CustomerId), MerchantId is null ? 0 : StringComparer.Ordinal.GetHashCode(MerchantId), entries);
        }
    }
}
