namespace CodeRunner.Server.Storage;

/// <summary>One user: who they are, the hash of their token, and their Paygentic customer and subscription.</summary>
internal sealed record AccountRecord
{
    public required string Id { get; init; }

    public required string Email { get; init; }

    public required string Name { get; init; }

    public required string TokenHash { get; init; }

    /// <summary>Null only while the sign-up is still creating the customer.</summary>
    public string? CustomerId { get; init; }

    public string? SubscriptionId { get; init; }

    public required string PlanId { get; init; }

    public Uri? CheckoutUrl { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
