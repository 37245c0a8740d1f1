using Paygentic.Sdk.Entitlements;

namespace Paygentic.Sdk.Metering.Authorization;

/// <summary>
/// One customer's (and estimate's) pooled reservations: the current one, whose uses are handed out, and at most one
/// next one, created ahead so the operation that spends the current one's last use does not wait for a round trip.
/// It also sizes the next reservation to the demand (see <see cref="MeteringOptions.ReservationPoolMaxSize"/>): when
/// operations found the pool empty while a reservation was on its way, the next is twice as large (up to the maximum);
/// after two refills in a row that each arrived before a sixteenth of the uses left for them were taken, half as large
/// (down to the configured size).
/// </summary>
/// <remarks>
/// Invariants: every field is read and written under <c>_gate</c>. <c>_reserving</c> is true from the moment a caller
/// is told to create the next reservation (ahead, by <see cref="TryTake"/>) or says it creates one because the pool is
/// empty (<see cref="BeginReserving"/>) until it reports back (<see cref="EndReserving"/>), so one is made at a time;
/// whoever makes it holds <see cref="Refill"/> meanwhile, so a caller that finds the pool empty waits for it instead of
/// creating another. <c>_aheadOf</c> and <c>_usedAtRefill</c> are the current reservation and its uses handed out when
/// a refill ahead began (null for a reservation made because the pool was empty); <c>_starved</c> says an operation
/// found the pool empty while a reservation was on its way; <c>_ampleRefills</c> counts the refills in a row that
/// arrived with most of their runway unused.
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
            if (ahead && !_reserving && _next.Reservation is null && _current.MaxUses - _current.HandedOut <= _current.MaxUses / 2)
            {
                _reserving = true;
                refillAhead = true;
                _aheadOf = _current.Reservation;
                _usedAtRefill = _current.HandedOut;
            }

            return _current.Reservation;
        }
    }

    /// <summary>A refill ahead that <see cref="TryTake"/> asked for is not made: another caller holds <see cref="Refill"/>.</summary>
    public void RefillNotStarted()
    {
        lock (_gate)
        {
            _reserving = false;
            _aheadOf = null;
        }
    }

    /// <summary>The caller holding <see cref="Refill"/> creates a reservation because the pool is empty.</summary>
    public void BeginReserving()
    {
        lock (_gate)
        {
            _reserving = true;
            _aheadOf = null;
        }
    }

    /// <summary>
    /// Ends the making of a reservation (begun by <see cref="TryTake"/> or <see cref="BeginReserving"/>): one made ahead
    /// (<paramref name="madeAhead"/>; null otherwise, or when it failed) becomes the next one, and the size of the one
    /// after it follows what the wait showed. Returns the new size when it changed.
    /// </summary>
    public int? EndReserving(Reservation? madeAhead, int maxUses, DateTimeOffset createdAt)
    {
        lock (_gate)
        {
            var before = _size;
            if (_starved)
            {
                _ampleRefills = 0;
                _size = (int)Math.Min((long)_size * 2, _maxSize);
            }
            else if (madeAhead is not null && _aheadOf is not null && ReferenceEquals(_current.Reservation, _aheadOf))
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

            _reserving = false;
            _starved = false;
            _aheadOf = null;
            if (madeAhead is not null)
            {
                _next = new Slot(madeAhead, maxUses, createdAt, handedOut: 0);
            }

            return _size == before ? null : _size;
        }
    }

    /// <summary>Back to the configured size: the wallet could not hold a reservation of the current one.</summary>
    public void ShrinkToMinimum()
    {
        lock (_gate)
        {
            _size = _minSize;
            _starved = false;
            _ampleRefills = 0;
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
