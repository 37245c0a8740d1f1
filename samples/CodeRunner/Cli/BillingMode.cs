namespace CodeRunner.Cli;

/// <summary>Which of Paygentic's billing models the run uses.</summary>
internal enum BillingMode
{
    /// <summary>Prepaid wallet: a reservation per submission, usage drawn from it (plan billingVersion 0).</summary>
    Legacy,

    /// <summary>Feature access check on /v1/entitlements, usage as a meter event on /v0/events (billingVersion 1).</summary>
    Standard,
}
