using Paygentic.Sdk;
using Paygentic.Sdk.Usage;

namespace CodeRunner.Billing;

/// <summary>
/// What the server actually charged, read back through the API (<c>GET /v0/usage</c>), so the table shows the
/// amount on the customer's bill rather than our own arithmetic. Works against any server, not only the emulator.
/// </summary>
internal static class BilledCharges
{
    /// <summary>The charged usage per idempotency key for the customer's usage in the window (refunded usage left out).</summary>
    public static async Task<IReadOnlyDictionary<string, BilledUsage>> ReadAsync(
        IPaygenticClient paygentic, string customerId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paygentic);
        var billed = new Dictionary<string, BilledUsage>(StringComparer.Ordinal);
        var window = new UsageListOptions { CustomerId = customerId, StartTime = from, EndTime = to };
        await foreach (UsageEvent usage in paygentic.Usage.ListAsync(window, cancellationToken).ConfigureAwait(false))
        {
            if (usage.IdempotencyKey is { } key && usage.Billing?.TotalAmount is { } amount && usage.Refund is null)
            {
                var quantities = (usage.Properties ?? []).ToDictionary(p => p.BillableMetricId, p => p.Quantity, StringComparer.Ordinal);
                billed[key] = new BilledUsage(amount, quantities);
            }
        }

        return billed;
    }
}

/// <summary>One usage event as the server recorded and billed it.</summary>
/// <param name="Amount">The charge.</param>
/// <param name="Quantities">The recorded quantity per billable metric.</param>
internal sealed record BilledUsage(Nanodollars Amount, IReadOnlyDictionary<string, long> Quantities)
{
    /// <summary>True when the server recorded exactly these quantities (false: an earlier report with the same key won).</summary>
    public bool Records(IReadOnlyDictionary<string, long> quantities) =>
        quantities.Count == Quantities.Count && quantities.All(q => Quantities.TryGetValue(q.Key, out long recorded) && recorded == q.Value);
}
