using System.Text.Json;

namespace Paygentic.Sdk.Testing;

/// <summary>One customer's money as the emulator holds it, exact to the nanodollar — what a test asserts on.</summary>
public sealed class EmulatorLedger
{
    internal EmulatorLedger(JsonElement root)
    {
        Raw = root.Clone();
        CustomerId = root.GetProperty("customerId").GetString()!;
        Prefunds = Amount(root, "prefunds");
        Balance = Amount(root, "balance");
        Held = Amount(root, "held");
        Charged = Amount(root, "charged");
        Refunded = Amount(root, "refunded");
        Charges = root.GetProperty("charges").EnumerateArray()
            .Select(c => new EmulatorCharge(
                c.GetProperty("idempotencyKey").GetString()!,
                c.GetProperty("usageId").GetString()!,
                Amount(c, "amount"),
                c.TryGetProperty("refunded", out var r) && r.GetBoolean()))
            .ToArray();
        InvariantHolds = root.GetProperty("invariant").GetProperty("holds").GetBoolean();
    }

    /// <summary>The customer.</summary>
    public string CustomerId { get; }

    /// <summary>Everything paid into the wallet.</summary>
    public Nanodollars Prefunds { get; }

    /// <summary>The available balance.</summary>
    public Nanodollars Balance { get; }

    /// <summary>Funds held by live reservations.</summary>
    public Nanodollars Held { get; }

    /// <summary>Everything charged.</summary>
    public Nanodollars Charged { get; }

    /// <summary>Everything refunded.</summary>
    public Nanodollars Refunded { get; }

    /// <summary>Every charge, one per idempotency key.</summary>
    public IReadOnlyList<EmulatorCharge> Charges { get; }

    /// <summary>Whether prefunds = balance + held + charged − refunded holds exactly.</summary>
    public bool InvariantHolds { get; }

    /// <summary>The ledger JSON as the emulator sent it, for fields this type does not surface.</summary>
    public JsonElement Raw { get; }

    private static Nanodollars Amount(JsonElement element, string name) => new(element.GetProperty(name).GetInt64());
}

/// <summary>One charge in the emulator's ledger.</summary>
/// <param name="IdempotencyKey">The report's key.</param>
/// <param name="UsageId">The usage event created.</param>
/// <param name="Amount">What it cost.</param>
/// <param name="Refunded">Whether it was refunded.</param>
public sealed record EmulatorCharge(string IdempotencyKey, string UsageId, Nanodollars Amount, bool Refunded);

/// <summary>A customer with an active, paid subscription, ready to be charged.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="SubscriptionId">The subscription.</param>
public sealed record OnboardedCustomer(string CustomerId, string SubscriptionId);
