using Paygentic.Emulator.Usage;

namespace Paygentic.Emulator.Ledger;

/// <summary>
/// One customer's money, in nanodollars. Every mutation keeps
/// <c>Prefunded = Balance + Held + Charged − Refunded</c>; callers hold the merchant's lock.
/// </summary>
internal sealed class Wallet(string customerId, string walletId)
{
    private readonly Dictionary<string, Reservation> active = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Reservation, DateTimeOffset> byExpiry = new();

    public string CustomerId { get; } = customerId;

    public string WalletId { get; } = walletId;

    /// <summary>Available to spend or hold.</summary>
    public long Balance { get; private set; }

    /// <summary>Held by active reservations.</summary>
    public long Held { get; private set; }

    public long Prefunded { get; private set; }

    public long Charged { get; private set; }

    public long Refunded { get; private set; }

    public int ReservationCount { get; private set; }

    public IReadOnlyCollection<Reservation> ActiveReservations => active.Values;

    public List<UsageRecord> Charges { get; } = [];

    public List<RefundEntry> Refunds { get; } = [];

    public List<PrefundEntry> Prefunds { get; } = [];

    /// <summary>Prefunded − (Balance + Held + Charged − Refunded); 0 when the ledger is consistent.</summary>
    public Int128 InvariantDifference => (Int128)Prefunded - ((Int128)Balance + Held + Charged - Refunded);

    /// <summary>Credits a paid prefund; false when the balance would overflow.</summary>
    public bool TryCreditPrefund(PrefundEntry entry)
    {
        long balance, prefunded;
        try
        {
            balance = checked(Balance + entry.Amount);
            prefunded = checked(Prefunded + entry.Amount);
        }
        catch (OverflowException)
        {
            return false;
        }

        Balance = balance;
        Prefunded = prefunded;
        Prefunds.Add(entry);
        return true;
    }

    /// <summary>Moves the reservation's amount from the balance into holds; false when the balance is short.</summary>
    public bool TryHold(Reservation reservation)
    {
        if (reservation.Amount > Balance)
        {
            return false;
        }

        Balance -= reservation.Amount;
        Held += reservation.Amount;
        reservation.Remaining = reservation.Amount;
        active.Add(reservation.Id, reservation);
        byExpiry.Enqueue(reservation, reservation.ExpiresAt);
        ReservationCount++;
        return true;
    }

    /// <summary>
    /// Returns expired holds to the balance. Expiry is evaluated lazily, so every read and write of the wallet
    /// calls this first; the queue makes it O(log n) per released hold and O(1) otherwise.
    /// </summary>
    public void ReleaseExpired(DateTimeOffset now)
    {
        while (byExpiry.TryPeek(out var reservation, out var expiresAt) && expiresAt <= now)
        {
            byExpiry.Dequeue();
            if (!reservation.Released)
            {
                Release(reservation, "expired");
            }
        }
    }

    /// <summary>
    /// Splits a charge: what the reservation (if still live) can cover, the rest from the balance. Null when the
    /// balance cannot cover the rest either.
    /// </summary>
    public ChargePlan? Plan(long amount, Reservation? reservation)
    {
        var fromReservation = reservation is { Released: false } ? Math.Min(reservation.Remaining, amount) : 0;
        var fromBalance = amount - fromReservation;
        return fromBalance > Balance ? null : new ChargePlan(amount, fromReservation, fromBalance);
    }

    /// <summary>Applies a plan from <see cref="Plan"/>; a reservation whose uses run out releases its remainder.</summary>
    public void Apply(ChargePlan plan, Reservation? reservation, UsageRecord record)
    {
        if (reservation is { Released: false })
        {
            reservation.Remaining -= plan.FromReservation;
            Held -= plan.FromReservation;
            reservation.UsedCount++;
            if (reservation.UsedCount >= reservation.MaxUses)
            {
                Release(reservation, "uses_exhausted");
            }
        }

        Balance -= plan.FromBalance;
        Charged = checked(Charged + plan.Amount);
        Charges.Add(record);
    }

    /// <summary>Credits a refunded charge back to the balance.</summary>
    public void Refund(RefundEntry entry)
    {
        Balance = checked(Balance + entry.Amount);
        Refunded = checked(Refunded + entry.Amount);
        Refunds.Add(entry);
    }

    private void Release(Reservation reservation, string reason)
    {
        Balance += reservation.Remaining;
        Held -= reservation.Remaining;
        reservation.ReleasedAmount = reservation.Remaining;
        reservation.Remaining = 0;
        reservation.Released = true;
        reservation.ReleaseReason = reason;
        active.Remove(reservation.Id);
    }
}
