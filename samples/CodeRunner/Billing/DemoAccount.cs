namespace CodeRunner.Billing;

/// <summary>The onboarded demo user: whom the run bills and through which subscription.</summary>
/// <param name="CustomerId">The customer (<c>cus_…</c>).</param>
/// <param name="SubscriptionId">The active subscription (<c>sub_…</c>).</param>
/// <param name="PrefundedUsd">What this run paid into the wallet (0 when an active subscription was reused).</param>
internal sealed record DemoAccount(string CustomerId, string SubscriptionId, decimal PrefundedUsd);
