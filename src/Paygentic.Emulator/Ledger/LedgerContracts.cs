namespace Paygentic.Emulator.Ledger;

/// <summary><c>GET /_emulator/ledger/{customerId}</c>: one customer's money, nanodollar integers plus USD strings.</summary>
internal sealed record CustomerLedgerBody(
    string CustomerId,
    string MerchantId,
    string WalletId,
    long Prefunds,
    string PrefundsUsd,
    long Balance,
    string BalanceUsd,
    long Held,
    string HeldUsd,
    long Charged,
    string ChargedUsd,
    long Refunded,
    string RefundedUsd,
    IReadOnlyList<HoldBody> Holds,
    IReadOnlyList<ChargeBody> Charges,
    IReadOnlyList<RefundLedgerBody> Refunds,
    IReadOnlyList<PrefundLedgerBody> PrefundPayments,
    LedgerCountsBody Counts,
    InvariantBody Invariant);

/// <summary>An active reservation's hold.</summary>
internal sealed record HoldBody(string Id, long Amount, long Remaining, string RemainingUsd, int MaxUses, int UsedCount, int UsesLeft, DateTimeOffset ExpiresAt);

/// <summary>A charge, by idempotency key.</summary>
internal sealed record ChargeBody(
    string IdempotencyKey,
    string UsageId,
    long Amount,
    string AmountUsd,
    long FromReservation,
    long FromBalance,
    string? EntitlementId,
    bool Refunded,
    DateTimeOffset CreatedAt);

/// <summary>A refund.</summary>
internal sealed record RefundLedgerBody(string UsageId, string IdempotencyKey, long Amount, string AmountUsd, DateTimeOffset RefundedAt, string? Reason);

/// <summary>A paid prefund.</summary>
internal sealed record PrefundLedgerBody(string SubscriptionId, string PaymentSessionId, long Amount, string AmountUsd, DateTimeOffset PaidAt);

/// <summary>How many of each entry there are.</summary>
internal sealed record LedgerCountsBody(int Charges, int Refunds, int Prefunds, int Reservations, int ActiveReservations);

/// <summary><c>prefunds = balance + held + charged − refunded</c>, checked to the nanodollar.</summary>
internal sealed record InvariantBody(bool Holds, string Expression, long Difference);

/// <summary>One merchant's totals in <c>GET /_emulator/ledger</c>.</summary>
internal sealed record MerchantLedgerBody(
    string MerchantId,
    int Customers,
    long Prefunds,
    string PrefundsUsd,
    long Balance,
    string BalanceUsd,
    long Held,
    string HeldUsd,
    long Charged,
    string ChargedUsd,
    long Refunded,
    string RefundedUsd,
    LedgerCountsBody Counts,
    InvariantBody Invariant);

/// <summary><c>GET /_emulator/ledger</c>: per-merchant totals and the invariant over all of them.</summary>
internal sealed record LedgerOverviewBody(IReadOnlyList<MerchantLedgerBody> Merchants, InvariantBody Invariant);
