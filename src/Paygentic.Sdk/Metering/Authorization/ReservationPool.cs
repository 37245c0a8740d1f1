using Paygentic.Sdk.Entitlements;

namespace Paygentic.Sdk.Metering.Authorization;

/// <summary>
/// One customer's (and estimate's) pooled reservations: the current one, whose uses are handed out, and at most one
/// next one, created ahead so the operation that spends the current one's last use does not wait for a round trip.
/// </summary>
/// <remarks>
/// Invariants: every field is read and written under <c>_gate</c>; <c>_refilling</c> is true from the moment a caller is
/// told to create the next reservation until it reports back (<see cref="RefillEnded"/>), so at most one is created ahead;
/// the creator of the next reservation holds <see cref="Refill"/> meanwhile, so a caller that finds the pool empty waits
/// for it instead of creating another.
/// </remarks>
internal sealed class ReservationPool(IReadOnlyDictionary<string, long> estimate)
{
    private readonly Lock _gate = new();
    private Slot _current;
    private Slot _next;
    private bool _refilling;

    /// <summary>The pool's own copy of the estimate its reservations are sized for.</summary>
    public IReadOnlyDictionary<string, long> Estimate { get; } = estimate;

    /// <summary>Held by whoever creates the pool's next reservation (ahead of need or because the pool is empty).</summary>
    public SemaphoreSlim Refill { get; } = new(1, 1);

    /// <summary>
    /// Hands out one use, moving to the next reservation when the current one is spent or near expiry. Returns null when
    /// neither can serve. <paramref name="refillAhead"/>: true when the caller should now create the next reservation in
    /// the background (the current one is half used and none is being made); <paramref name="retired"/>: a reservation
    /// this call stopped using, whose stored row may go.
    /// </summary>
    public Reservation? TryTake(DateTimeOffset now, TimeSpan refreshMargin, bool ahead, out bool refillAhead, out Reservation? retired)
    {
        refillAhead = false;
        retired = null;
        lock (_gate)
        {
            if (!_current.CanServe(now, refreshMargin))
            {
                if (_next.Reservation is null)
                {
                    return null;
                }

                retired = _current.Reservation;
                _current = _next;
                _next = default;
                if (!_current.CanServe(now, refreshMargin))
                {
                    return null;
                }
            }

            _current.HandedOut++;
            if (ahead && !_refilling && _next.Reservation is null && _current.MaxUses - _current.HandedOut <= _current.MaxUses / 2)
            {
                _refilling = true;
                refillAhead = true;
            }

            return _current.Reservation;
        }
    }

    /// <summary>Ends a refill started by <see cref="TryTake"/>: the reservation made ahead (null when it failed) becomes the next one.</summary>
    public void RefillEnded(Reservation? next, int maxUses, DateTimeOffset createdAt)
    {
        lock (_gate)
        {
            _refilling = false;
            if (next is not null)
            {
                _next = new Slot(next, maxUses, createdAt, handedOut: 0);
            }
        }
    }

    public bool TryGiveBack(string reservationId)
    {
        lock (_gate)
        {
            if (_current.Reservation is null || !string.Equals(_current.Reservation.Id, reservationId, StringComparison.Ordinal) || _current.HandedOut == 0)
            {
                return false;
            }

            _current.HandedOut--;
            return true;
        }
    }

    /// <summary>Makes a reservation the pool's current one (created because the pool was empty); returns the one it replaces.</summary>
    public Reservation? Install(Reservation reservation, int maxUses, DateTimeOffset installedAt, int handedOut)
    {
        lock (_gate)
        {
            var previous = _current.Reservation;
            _current = new Slot(reservation, maxUses, installedAt, handedOut);
            return previous;
        }
    }

    /// <summary>Adds a reservation an earlier process left with uses to spare: the current one, or the next when there is one.</summary>
    public void Restore(Reservation reservation, int maxUses, DateTimeOffset installedAt, int handedOut, DateTimeOffset now, TimeSpan refreshMargin)
    {
        lock (_gate)
        {
            var slot = new Slot(reservation, maxUses, installedAt, handedOut);
            if (_current.CanServe(now, refreshMargin))
            {
                _next = slot;
            }
            else
            {
                _current = slot;
            }
        }
    }

    /// <summary>A reservation, how many uses it allows and how many are handed out.</summary>
    private struct Slot(Reservation reservation, int maxUses, DateTimeOffset installedAt, int handedOut)
    {
        public readonly Reservation? Reservation = reservation;
        public readonly int MaxUses = reservation.MaxUses is > 0 and var m ? Math.Min(m, maxUses) : maxUses;
        public int HandedOut = handedOut;
        private readonly DateTimeOffset _installedAt = installedAt;

        public readonly bool CanServe(DateTimeOffset now, TimeSpan refreshMargin) =>
            Reservation is not null && HandedOut < MaxUses && (Reservation.ExpiresAt is not { } expires || now < RefreshAt(expires, refreshMargin));

        /// <summary>
        /// When to stop handing out uses: the refresh margin before expiry, but never more than half the hold's life, so
        /// a hold shorter than the margin still serves its uses instead of being replaced by every operation.
        /// </summary>
        private readonly DateTimeOffset RefreshAt(DateTimeOffset expires, TimeSpan refreshMargin)
        {
            var halfLife = (expires - _installedAt) / 2;
            return expires - (halfLife < refreshMargin ? halfLife : refreshMargin);
        }
    }
}
