namespace Paygentic.Emulator.Subscriptions;

/// <summary>A time-limited customer portal link.</summary>
internal sealed record PortalSession(string Token, State.MerchantState Merchant, string SubscriptionId, string CustomerId, DateTimeOffset ExpiresAt);
