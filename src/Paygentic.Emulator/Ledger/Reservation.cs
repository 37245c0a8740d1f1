namespace Paygentic.Emulator.Ledger;

/// <summary>
/// A legacy (v0) entitlement: money held out of a customer's available balance for up to <see cref="MaxUses"/>
/// usage events until <see cref="ExpiresAt"/>. Touched only under the merchant's lock.
/// </summary>
internal sealed class Reservation
{
    public required string Id { get; init; }

    public required string CustomerId { get; init; }

    public required string MerchantId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required int MaxUses { get; init; }

    public required IReadOnlyList<ReservedMetric> Metrics { get; init; }

    /// <summary>What was held at creation, in nanodollars.</summary>
    public required long Amount { get; init; }

    /// <summary>What is still held, in nanodollars (0 once released).</summary>
    public long Remaining { get; set; }

    public int UsedCount { get; set; }

    /// <summary>Set once the remainder has gone back to the balance (uses exhausted or expired).</summary>
    public bool Released { get; set; }

    /// <summary>What went back to the balance on release.</summary>
    public long ReleasedAmount { get; set; }

    /// <summary>Why it was released: <c>uses_exhausted</c> or <c>expired</c>.</summary>
    public string? ReleaseReason { get; set; }

    public int UsesLeft => MaxUses - UsedCount;
}

/// <summary>One line of a reservation: quantity (possibly fractional) of a metric at a decimal-USD unit price.</summary>
internal sealed record ReservedMetric(string BillableMetricId, string Price, decimal Quantity);
