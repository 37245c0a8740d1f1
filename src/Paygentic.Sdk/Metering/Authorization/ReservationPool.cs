using Paygentic.Sdk.Entitlements;

namespace Paygentic.Sdk.Metering.Authorization;

/// <summary>
/// One customer's (and estimate's) pooled reservations: the current one, whose uses are handed out, and at most one
/// next one, created ahead so the operation that spends the current one's last use does not wait for a round trip.
/// It also sizes the next reservation to the demand, by the rule <see cref="MeteringOptions.ReservationPoolMaxSize"/>
/// states.
/// </summary>
/// <remarks>
/// Invariants: every field is read and written under <c>_gate</c>. <see cref="Refill"/> is held by whoever makes the
/// pool's next reservation, so one is made at a time; <c>_reserving</c> is true exactly while it is held for that: set
/// by <see cref="TryTake"/> when it takes the semaphore for a refill ahead, or by <see cref="BeginReserving"/> for an
/// empty pool, and cleared by the matching end. <c>_aheadOf</c> and <c>_usedAtRefill</c> are the current reservation and
/// its uses handed out when a refill ahead began; <c>_starved</c> says an operation found the pool empty while a
/// reservation was on its way; <c>_refused</c> that the wallet could not hold the size asked for; <c>_ampleRefills</c>
/// counts the refills in a row that arrived with most of their runway unused.
/// </remarks>
internal sealed class ReservationPool(IReadOnlyDictionary<string, long> estimate, int minSize, int maxSize)
{
    private readonly Lock _gate = new();
    private readonly int _minSize = minSize;
    private readonly int _maxSize = maxSize;
    private Slot _current;
    private Slot _next;
    private bool _reserving;
    private int _size = minSize;
    private Reservation? _aheadOf;
    private int _usedAtRefill;
    private bool _starved;
    private bool _refused;
    private int _ampleRefills;

    /// <summary>The pool's own copy of the estimate its reservations are sized for.</summary>
    public IReadOnlyDictionary<string, long> Estimate { get; } = estimate;

    /// <summary>Held by whoever creates the pool's next reservation (ahead of need or because the pool is empty).</summary>
    public SemaphoreSlim Refill { get; } = new(1, 1);

    /// <summary>How many uses the pool's next reservation is made for.</summary>
    public int Size
    {
        get
        {
            lock (_gate)
            {
                return _size;
            }
        }
    }

    /// <summary>
    /// Hands out one use, moving to the next reservation when the current one is spent or near expiry. Returns null when
    /// neither can serve. <paramref name="refillAhead"/>: true when the caller now holds <see cref="Refill"/> and must
    /// create the next reservation in the background (the current one is half used and none is being made), then call
    /// <see cref="EndRefillAhead"/>; <paramref name="retired"/>: a reservation this call stopped using, whose stored row
    /// may go.
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
                    // Spent before the reservation on its way arrived: the demand outruns the pool's runway.
                    _starved |= _reserving;
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

            // The semaphore is taken here, under the gate (it is never released under it), so the flag and the holder
            // cannot disagree: a caller that loses it leaves the pool as it found it.
            if (ahead && !_reserving && _next.Reservation is null && _current.MaxUses - _current.HandedOut <= _current.MaxUses / 2
                && Refill.Wait(0))
            {
                _reserving = true;
                refillAhead = true;
                _aheadOf = _current.Reservation;
                _usedAtRefill = _current.HandedOut;
            }

            return _current.Reservation;
        }
    }

    /// <summary>
    /// The caller holding <see cref="Refill"/> creates a reservation because the pool is empty. A current reservation
    /// that expired with fewer than half its uses handed out shows the demand fell: the size drops to what it served.
    /// </summary>
    /// <returns>How many uses to reserve.</returns>
    public int BeginReserving()
    {
        lock (_gate)
        {
            _reserving = true;
            _aheadOf = null;
            if (_current.Reservation is not null && _current.HandedOut < _current.MaxUses / 2)
            {
                _size = Math.Clamp(_current.HandedOut, _minSize, _size);
                _ampleRefills = 0;
            }

            return _size;
        }
    }

    /// <summary>The wallet refused a reservation of the current size: the next is made at the configured size.</summary>
    public void Refused()
    {
        lock (_gate)
        {
            _refused = true;
        }
    }

    /// <summary>Ends <see cref="BeginReserving"/>; <paramref name="made"/>: whether a pooled reservation was installed. Returns the new size when it changed.</summary>
    public int? EndReserving(bool made)
    {
        lock (_gate)
        {
            return End(made, aheadRoundTrip: false);
        }
    }

    /// <summary>
    /// Ends a refill started by <see cref="TryTake"/>: the reservation made ahead (null when it failed) becomes the next
    /// one. Returns the new size when it changed.
    /// </summary>
    public int? EndRefillAhead(Reservation? next, int maxUses, DateTimeOffset createdAt)
    {
        lock (_gate)
        {
            var measurable = next is not null && ReferenceEquals(_current.Reservation, _aheadOf);
            var resized = End(next is not null, measurable);
            if (next is not null)
            {
                _next = new Slot(next, maxUses, createdAt, handedOut: 0);
            }

            return resized;
        }
    }

    /// <summary>The size rule, once a reservation is no longer on its way (under the gate).</summary>
    private int? End(bool made, bool aheadRoundTrip)
    {
        var before = _size;
        if (_refused)
        {
            _size = _minSize;
            _ampleRefills = 0;
        }
        else if (made && _starved)
        {
            _ampleRefills = 0;
            _size = (int)Math.Min((long)_size * 2, _maxSize);
        }
        else if (aheadRoundTrip)
        {
            // Round trips vary widely under load: only two in a row that each left most of the runway unused shrink
            // the pool, or it would swing between sizes and starve every other refill.
            var left = _current.MaxUses - _usedAtRefill;
            var usedMeanwhile = _current.HandedOut - _usedAtRefill;
            _ampleRefills = usedMeanwhile * 16 <= left ? _ampleRefills + 1 : 0;
            if (_ampleRefills == 2)
            {
                _ampleRefills = 0;
                _size = Math.Max(_size / 2, _minSize);
            }
        }
        else
        {
            // A failed refill, or a reservation made because the pool was empty: not a round trip ahead of need.
            _ampleRefills = 0;
        }

        _reserving = false;
        _starved = false;
        _refused = false;
        _aheadOf = null;
        return _size == before ? null : _size;
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
