using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Subscriptions;

/// <summary>A subscription's lifecycle state; unknown future values are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumJsonConverter<SubscriptionStatus>))]
public readonly record struct SubscriptionStatus(string Value) : IWireValue<SubscriptionStatus>
{
    /// <summary>Waiting for the customer to pay at the checkout URL.</summary>
    public static SubscriptionStatus PendingPayment => new("pending_payment");

    /// <summary>Active.</summary>
    public static SubscriptionStatus Active => new("active");

    /// <summary>Terminated.</summary>
    public static SubscriptionStatus Terminated => new("terminated");

    /// <inheritdoc />
    public static SubscriptionStatus FromValue(string value) => new(value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>A customer to create inline with a subscription.</summary>
public sealed record NewSubscriptionCustomer
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Email.</summary>
    public required string Email { get; init; }

    /// <summary>Phone.</summary>
    public string? Phone { get; init; }

    /// <summary>Address (country and zip code are needed).</summary>
    public required Address Address { get; init; }

    /// <summary>Tax rates in percent.</summary>
    public IReadOnlyDictionary<string, decimal>? TaxRates { get; init; }
}

/// <summary>Where the checkout sends the customer afterwards.</summary>
public sealed record RedirectUrls
{
    /// <summary>After a successful payment.</summary>
    public Uri? OnSuccess { get; init; }

    /// <summary>After a failed payment.</summary>
    public Uri? OnFailure { get; init; }
}

/// <summary>The body of <c>POST /v0/subscriptions</c>. Give <see cref="CustomerId"/> or <see cref="Customer"/>.</summary>
public sealed record CreateSubscriptionRequest
{
    /// <summary>A display name.</summary>
    public required string Name { get; init; }

    /// <summary>The plan (<c>plan_…</c>).</summary>
    public required string PlanId { get; init; }

    /// <summary>When it starts; defaults to now.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>An existing customer.</summary>
    public string? CustomerId { get; init; }

    /// <summary>A customer to create inline.</summary>
    public NewSubscriptionCustomer? Customer { get; init; }

    /// <summary>Charge the stored payment method off-session.</summary>
    public bool? AutoCharge { get; init; }

    /// <summary>Exempt from tax.</summary>
    public bool? TaxExempt { get; init; }

    /// <summary>When it ends (open-ended when absent).</summary>
    public DateTimeOffset? EndingAt { get; init; }

    /// <summary>Prepaid wallet funding in US dollars (legacy prepaid billing), sent as a decimal string.</summary>
    [JsonConverter(typeof(NullableDecimalUsdJsonConverter))]
    public decimal? PrefundAmount { get; init; }

    /// <summary>The wallet balance to keep, in US dollars; 0 disables it.</summary>
    [JsonConverter(typeof(NullableDecimalUsdJsonConverter))]
    public decimal? MinimumAccountBalance { get; init; }

    /// <summary>Checkout redirects.</summary>
    public RedirectUrls? RedirectUrls { get; init; }

    /// <summary>A test clock (non-production only).</summary>
    public string? TestClockId { get; init; }

    /// <summary>Send renewal reminders.</summary>
    public bool? RenewalReminderEnabled { get; init; }

    /// <summary>Days before renewal to remind, 1–30.</summary>
    public int? RenewalReminderDays { get; init; }

    /// <summary>Checkout session lifetime in minutes (default 240).</summary>
    public int? SessionExpiryMinutes { get; init; }

    /// <summary>
    /// "Net X": days between an invoice's issue and its due date, 0–365 (2026-08-06 API; default 0, and a non-zero
    /// value needs a bank-transfer-only subscription there). The 2026-04-18 API ignores it.
    /// </summary>
    public int? PaymentTermDays { get; init; }

    /// <summary>
    /// The merchant's own metadata: each value a string, a number or a boolean (2026-08-06 API; the 2026-04-18 API
    /// ignores it).
    /// </summary>
    public JsonObject? Metadata { get; init; }
}

/// <summary>The payment state of a new subscription; switch on the concrete type.</summary>
public abstract record SubscriptionPayment
{
    /// <summary>The wire <c>status</c>: <c>pending</c>, <c>paid</c>, <c>awaiting_approval</c>, or one this SDK does not know.</summary>
    public string? Status { get; init; }

    /// <summary>The amount in US dollars.</summary>
    [JsonConverter(typeof(NullableDecimalUsdJsonConverter))]
    public decimal? Amount { get; init; }
}

/// <summary>The customer must pay at <see cref="CheckoutUrl"/>; the subscription stays <c>pending_payment</c> until then.</summary>
public sealed record PendingSubscriptionPayment : SubscriptionPayment
{
    /// <summary>Where to send the customer to pay.</summary>
    public required Uri CheckoutUrl { get; init; }

    /// <summary>The payment session id.</summary>
    public string? PaymentSessionId { get; init; }

    /// <summary>The invoice, when one exists yet.</summary>
    public string? InvoiceId { get; init; }

    /// <summary>How the amount splits.</summary>
    public PaymentBreakdown? Breakdown { get; init; }
}

/// <summary>How a pending payment splits into upfront charges and wallet funding (US dollars).</summary>
public sealed record PaymentBreakdown
{
    /// <summary>Upfront charges.</summary>
    [JsonConverter(typeof(NullableDecimalUsdJsonConverter))]
    public decimal? UpfrontCharges { get; init; }

    /// <summary>Wallet funding.</summary>
    [JsonConverter(typeof(NullableDecimalUsdJsonConverter))]
    public decimal? WalletCharge { get; init; }
}

/// <summary>Nothing was due, or it was paid at once.</summary>
public sealed record PaidSubscriptionPayment : SubscriptionPayment
{
    /// <summary>The invoice.</summary>
    public string? InvoiceId { get; init; }
}

/// <summary>The first invoice awaits approval by the platform (a merchant cannot approve it).</summary>
public sealed record AwaitingApprovalSubscriptionPayment : SubscriptionPayment
{
    /// <summary>The invoice.</summary>
    public string? InvoiceId { get; init; }
}

/// <summary>A payment status this SDK version does not know; <see cref="Raw"/> holds the whole object.</summary>
public sealed record UnknownSubscriptionPayment : SubscriptionPayment
{
    /// <summary>The payment object as received.</summary>
    public System.Text.Json.JsonElement Raw { get; init; }
}

/// <summary>A subscription of a customer to a plan.</summary>
public sealed record Subscription
{
    /// <summary>The subscription id.</summary>
    [JsonConverter(typeof(AnswerIdJsonConverter))]
    public required string Id { get; init; }

    /// <summary>Always <c>subscription</c>.</summary>
    [JsonPropertyName("object")]
    public string? ObjectType { get; init; }

    /// <summary>The lifecycle state.</summary>
    public SubscriptionStatus Status { get; init; }

    /// <summary>The display name.</summary>
    public string? Name { get; init; }

    /// <summary>The merchant that owns it (newer API versions).</summary>
    public string? MerchantId { get; init; }

    /// <summary>The plan.</summary>
    public string? PlanId { get; init; }

    /// <summary>The plan version pinned at creation (newer API versions).</summary>
    public string? PlanVersionId { get; init; }

    /// <summary>The number of that plan version (newer API versions).</summary>
    public int? VersionNumber { get; init; }

    /// <summary>"Net X" days on its invoices (newer API versions; absent from older answers).</summary>
    public int? PaymentTermDays { get; init; }

    /// <summary>The merchant's metadata: string, number or boolean values (newer API versions).</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>The customer.</summary>
    public string? CustomerId { get; init; }

    /// <summary>Off-session charging.</summary>
    public bool? AutoCharge { get; init; }

    /// <summary>Tax exemption.</summary>
    public bool? TaxExempt { get; init; }

    /// <summary>Estimated tax rate in percent.</summary>
    public decimal? EstimatedTaxRate { get; init; }

    /// <summary>The payment state: on the create answer, and while the subscription is <c>pending_payment</c>.</summary>
    [JsonConverter(typeof(SubscriptionPaymentJsonConverter))]
    public SubscriptionPayment? Payment { get; init; }

    /// <summary>The prefund (the API returns nanodollars here, although the request takes dollars).</summary>
    public Nanodollars? PrefundAmount { get; init; }

    /// <summary>The minimum balance, in nanodollars.</summary>
    public Nanodollars? MinimumAccountBalance { get; init; }

    /// <summary>The wallet (legacy prepaid billing).</summary>
    public string? WalletId { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it ends.</summary>
    public DateTimeOffset? EndingAt { get; init; }

    /// <summary>When it was terminated.</summary>
    public DateTimeOffset? TerminatedAt { get; init; }

    /// <summary>Who terminated it.</summary>
    public string? TerminatedBy { get; init; }

    /// <summary>Why it was terminated.</summary>
    public string? TerminationReason { get; init; }

    /// <summary>Its test clock.</summary>
    public string? TestClockId { get; init; }

    /// <summary>Renewal reminders on.</summary>
    public bool? RenewalReminderEnabled { get; init; }

    /// <summary>Days before renewal to remind.</summary>
    public int? RenewalReminderDays { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <summary>The answer to a subscription create: the subscription, and whether it was created now (201) or existed (200).</summary>
/// <param name="Subscription">The subscription.</param>
/// <param name="Created">Whether the server created it now.</param>
public sealed record CreateSubscriptionResult(Subscription Subscription, bool Created);

/// <summary>A time-limited link to the customer portal.</summary>
public sealed record SubscriptionPortal
{
    /// <summary>Always <c>subscriptionPortal</c>.</summary>
    [JsonPropertyName("object")]
    public string? ObjectType { get; init; }

    /// <summary>The portal URL to give the customer.</summary>
    public required Uri Url { get; init; }

    /// <summary>When the link stops working.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>Filters and paging for listing subscriptions.</summary>
public sealed class SubscriptionListOptions : ListOptions
{
    /// <summary>Only this customer's.</summary>
    public string? CustomerId { get; set; }

    /// <summary>Only this consumer's.</summary>
    public string? ConsumerId { get; set; }

    /// <summary>Only this merchant's.</summary>
    public string? MerchantId { get; set; }

    /// <summary>Only in this state.</summary>
    public SubscriptionStatus? Status { get; set; }

    /// <summary>Only those started before this instant.</summary>
    public DateTimeOffset? StartedBefore { get; set; }
}

internal sealed record PortalLinkBody(string? ExpiresIn);

internal sealed record TerminationBody(string Reason);
