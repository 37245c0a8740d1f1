using Paygentic.Sdk;
using Paygentic.Sdk.Entitlements;

namespace CodeRunner.Billing;

/// <summary>Standard billing: the customer's metered feature as <c>/v1/entitlements</c> reports it after the run.</summary>
/// <param name="FeatureKey">The feature, e.g. <c>submissions</c>.</param>
/// <param name="UsedInPeriod">Units used in the current period.</param>
/// <param name="Remaining">Units left in the period (null when the feature is not metered).</param>
internal sealed record FeatureAllowance(string FeatureKey, decimal UsedInPeriod, decimal? Remaining)
{
    public static async Task<FeatureAllowance?> ReadAsync(
        IPaygenticClient paygentic, string customerId, string featureKey, string productId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paygentic);
        Page<EntitlementAccess> page = await paygentic.Entitlements.ListAccessPageAsync(
            new EntitlementAccessQuery { CustomerId = customerId, FeatureKey = featureKey, ProductId = productId },
            cancellationToken).ConfigureAwait(false);
        EntitlementAccess? access = page.Data.Count > 0 ? page.Data[0] : null;
        return access is null ? null : new FeatureAllowance(featureKey, access.UsageInPeriod ?? 0m, access.Balance);
    }
}
