using System.Text.Json;
using System.Text.Json.Serialization;
using Paygentic.Emulator.Customers;

namespace Paygentic.Emulator.Subscriptions;

/// <summary><c>POST /v0/subscriptions</c> request.</summary>
internal sealed class CreateSubscriptionRequest
{
    public string? Name { get; init; }

    public string? PlanId { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public string? CustomerId { get; init; }

    public ConsumerInput? Customer { get; init; }

    public bool? AutoCharge { get; init; }

    public bool? TaxExempt { get; init; }

    public DateTimeOffset? EndingAt { get; init; }

    /// <summary>Decimal USD (deprecated by the spec in favour of <see cref="MinimumAccountBalance"/>).</summary>
    public string? PrefundAmount { get; init; }

    /// <summary>Decimal USD; only the shortfall against the current balance is charged.</summary>
    public string? MinimumAccountBalance { get; init; }

    public RedirectUrlsInput? RedirectUrls { get; init; }

    public string? TestClockId { get; init; }

    public bool? RenewalReminderEnabled { get; init; }

    public int? RenewalReminderDays { get; init; }

    public decimal? SessionExpiryMinutes { get; init; }

    /// <summary>"Net X" days on the subscription's invoices, 0–365 (2026-08-06 spec; default 0).</summary>
    public int? PaymentTermDays { get; init; }

    /// <summary>Merchant metadata whose values are strings, numbers or booleans (2026-08-06 spec).</summary>
    public Dictionary<string, JsonElement>? Metadata { get; init; }
}

/// <summary>Where the checkout sends the payer afterwards.</summary>
internal sealed class RedirectUrlsInput
{
    public string? OnSuccess { get; init; }

    public string? OnFailure { get; init; }
}

/// <summary><c>POST /v0/subscriptions/{id}/termination</c> request.</summary>
internal sealed class TerminateSubscriptionRequest
{
    public string? Reason { get; init; }
}

/// <summary><c>POST /v0/subscriptions/{id}/portal</c> request (optional body).</summary>
internal sealed class PortalRequest
{
    public string? ExpiresIn { get; init; }
}

/// <summary>
/// The spec's <c>Subscription</c>, valid under both descriptions: <c>merchantId</c> and <c>paymentTermDays</c> are
/// required only by 2026-08-06 and are extra (allowed) fields for 2026-04-18. Absent optional fields are omitted.
/// </summary>
internal sealed record SubscriptionBody(
    string Id,
    string Object,
    string MerchantId,
    int PaymentTermDays,
    Dictionary<string, JsonElement>? Metadata,
    string Name,
    string CustomerId,
    string PlanId,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool AutoCharge,
    bool TaxExempt,
    DateTimeOffset? EndingAt,
    decimal EstimatedTaxRate,
    PaymentBody? Payment,
    string? PrefundAmount,
    string? MinimumAccountBalance,
    string WalletId,
    DateTimeOffset? TerminatedAt,
    string? TerminatedBy,
    string? TerminationReason,
    string? TestClockId,
    bool? RenewalReminderEnabled,
    int? RenewalReminderDays,
    SubscriptionCustomerBody? Customer);

/// <summary>
/// The subscription's <c>payment</c>: a oneOf told apart by <c>status</c> (<c>pending</c> carries the checkout,
/// <c>paid</c> the invoice).
/// </summary>
internal sealed record PaymentBody(
    string Status,
    string Amount,
    string InvoiceId,
    string? PaymentSessionId,
    string? CheckoutUrl,
    PaymentBreakdownBody? Breakdown);

/// <summary>What a pending payment is made of, decimal USD.</summary>
internal sealed record PaymentBreakdownBody(string UpfrontCharges, string WalletCharge);

/// <summary>The <c>customer</c> of a subscription listed with <c>include=customer</c>.</summary>
internal sealed record SubscriptionCustomerBody(string Id, string MerchantId, PartyBody Merchant, PartyBody Consumer);

/// <summary>A merchant or consumer inside <see cref="SubscriptionCustomerBody"/>.</summary>
internal sealed record PartyBody(string Id, string Name, string Email);

/// <summary><c>GET /v0/subscriptions</c> response.</summary>
internal sealed record SubscriptionListBody(string Object, IReadOnlyList<SubscriptionBody> Data, Http.Pagination Pagination);

/// <summary>The spec's <c>SubscriptionPortal</c>.</summary>
internal sealed record SubscriptionPortalBody(string Object, string Url, DateTimeOffset ExpiresAt);
