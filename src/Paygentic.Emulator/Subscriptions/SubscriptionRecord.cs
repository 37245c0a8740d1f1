using System.Text.Json;

namespace Paygentic.Emulator.Subscriptions;

/// <summary>A subscription; touched only under the merchant's lock.</summary>
internal sealed class SubscriptionRecord
{
    public const string PendingPayment = "pending_payment";
    public const string Active = "active";
    public const string Terminated = "terminated";

    public required string Id { get; init; }

    public required string MerchantId { get; init; }

    public required string CustomerId { get; init; }

    public required string PlanId { get; init; }

    public required string Name { get; init; }

    public required string Status { get; set; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndingAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool AutoCharge { get; init; }

    public bool TaxExempt { get; init; }

    public decimal EstimatedTaxRate { get; init; }

    /// <summary>Requested prefund, nanodollars (null when none was asked).</summary>
    public long? PrefundAmount { get; init; }

    /// <summary>Requested minimum account balance, nanodollars.</summary>
    public long? MinimumAccountBalance { get; init; }

    /// <summary>What the checkout credits to the wallet, nanodollars.</summary>
    public long WalletCharge { get; init; }

    public required string InvoiceId { get; init; }

    /// <summary>The checkout session while a wallet charge is due; null when nothing had to be paid.</summary>
    public string? PaymentSessionId { get; init; }

    public bool Paid { get; set; }

    public required string WalletId { get; init; }

    /// <summary>The id of the subscription-derived access listed by <c>GET /v0/entitlements/activeEntitlements</c>.</summary>
    public required string AccessId { get; init; }

    /// <summary>When the subscription last became active (what activeEntitlements reports as verifiedAt).</summary>
    public DateTimeOffset? ActivatedAt { get; set; }

    public DateTimeOffset? TerminatedAt { get; set; }

    public string? TerminatedBy { get; set; }

    public string? TerminationReason { get; set; }

    public string? TestClockId { get; init; }

    public bool? RenewalReminderEnabled { get; init; }

    public int? RenewalReminderDays { get; init; }

    public string? SuccessRedirect { get; init; }

    public int PaymentTermDays { get; init; }

    public Dictionary<string, JsonElement>? Metadata { get; init; }
}
