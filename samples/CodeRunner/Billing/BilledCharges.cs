using Paygentic.Sdk;
using Paygentic.Sdk.Usage;

namespace CodeRunner.Billing;

/// <summary>
/// What the server actually charged, read back through the API (<c>GET /v0/usage</c>), so the table shows the
/// amount on the customer's bill rather than our own arithmetic. Works against any server, not only the emulator.
/// </summary>
internal static class BilledCharges
{
    /// <summary>Charged amount per idempotency key for the customer's usage in the window.</summary>
    public static async Task<IReadOnlyDictionary<string, Nanodollars>> ReadAsync(
        IPaygenticClient paygentic, string customerId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paygentic);
        var amounts = new Dictionary<string, Nanodollars>(StringComparer.Ordinal);
        var window = new UsageListOptions { CustomerId = customerId, StartTime = from, EndTime = to };
        await foreach (UsageEvent usage in paygentic.Usage.ListAsync(window, cancellationToken).ConfigureAwait(false))
        {
            if (usage.IdempotencyKey is { } key && usage.Billing?.TotalAmount is { } amount && usage.Refund is null)
            {
                amounts[key] = amount;
            }
        }

        return amounts;
    }
}
