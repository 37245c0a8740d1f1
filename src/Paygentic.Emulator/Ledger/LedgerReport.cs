using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Ledger;

/// <summary>Builds the ledger inspection bodies; callers hold the merchant's lock.</summary>
internal static class LedgerReport
{
    public const string Expression = "prefunds = balance + held + charged - refunded";

    public static CustomerLedgerBody ForCustomer(MerchantState merchant, Wallet wallet, DateTimeOffset now)
    {
        wallet.ReleaseExpired(now);
        var holds = wallet.ActiveReservations
            .OrderBy(r => r.CreatedAt)
            .Select(r => new HoldBody(r.Id, r.Amount, r.Remaining, Money.ToUsd(r.Remaining), r.MaxUses, r.UsedCount, r.UsesLeft, r.ExpiresAt))
            .ToList();
        var charges = wallet.Charges
            .Select(c => new ChargeBody(c.IdempotencyKey, c.Id, c.Amount, Money.ToUsd(c.Amount), c.FromReservation, c.FromBalance, c.EntitlementId, c.Refunded, c.CreatedAt))
            .ToList();
        var refunds = wallet.Refunds
            .Select(r => new RefundLedgerBody(r.UsageId, r.IdempotencyKey, r.Amount, Money.ToUsd(r.Amount), r.RefundedAt, r.Reason))
            .ToList();
        var prefunds = wallet.Prefunds
            .Select(p => new PrefundLedgerBody(p.SubscriptionId, p.PaymentSessionId, p.Amount, Money.ToUsd(p.Amount), p.PaidAt))
            .ToList();
        return new CustomerLedgerBody(
            wallet.CustomerId,
            merchant.Id,
            wallet.WalletId,
            wallet.Prefunded,
            Money.ToUsd(wallet.Prefunded),
            wallet.Balance,
            Money.ToUsd(wallet.Balance),
            wallet.Held,
            Money.ToUsd(wallet.Held),
            wallet.Charged,
            Money.ToUsd(wallet.Charged),
            wallet.Refunded,
            Money.ToUsd(wallet.Refunded),
            holds,
            charges,
            refunds,
            prefunds,
            new LedgerCountsBody(wallet.Charges.Count, wallet.Refunds.Count, wallet.Prefunds.Count, wallet.ReservationCount, wallet.ActiveReservations.Count),
            Invariant(wallet.InvariantDifference));
    }

    /// <summary>A merchant's totals and the difference in its invariant (0 when consistent).</summary>
    public static (MerchantLedgerBody Body, Int128 Difference) ForMerchant(MerchantState merchant, DateTimeOffset now)
    {
        Int128 prefunded = 0, balance = 0, held = 0, charged = 0, refunded = 0, difference = 0;
        int charges = 0, refunds = 0, payments = 0, reservations = 0, active = 0;
        foreach (var wallet in merchant.Wallets.Values)
        {
            wallet.ReleaseExpired(now);
            prefunded += wallet.Prefunded;
            balance += wallet.Balance;
            held += wallet.Held;
            charged += wallet.Charged;
            refunded += wallet.Refunded;
            difference += wallet.InvariantDifference;
            charges += wallet.Charges.Count;
            refunds += wallet.Refunds.Count;
            payments += wallet.Prefunds.Count;
            reservations += wallet.ReservationCount;
            active += wallet.ActiveReservations.Count;
        }

        // The merchant-wide check is computed from the totals, independently of the per-wallet differences.
        var totalDifference = prefunded - (balance + held + charged - refunded);
        var body = new MerchantLedgerBody(
            merchant.Id,
            merchant.Customers.Count,
            Clamp(prefunded),
            Usd(prefunded),
            Clamp(balance),
            Usd(balance),
            Clamp(held),
            Usd(held),
            Clamp(charged),
            Usd(charged),
            Clamp(refunded),
            Usd(refunded),
            new LedgerCountsBody(charges, refunds, payments, reservations, active),
            Invariant(totalDifference != 0 ? totalDifference : difference));
        return (body, totalDifference != 0 ? totalDifference : difference);
    }

    public static InvariantBody Invariant(Int128 difference) => new(difference == 0, Expression, Clamp(difference));

    private static long Clamp(Int128 value) => value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;

    private static string Usd(Int128 nanos) => Money.ToUsd(Clamp(nanos));
}
