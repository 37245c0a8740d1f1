namespace CodeRunner.Server.Configuration;

/// <summary>How submissions are billed: the seed's legacy prepaid wallet, standard billing, or not at all.</summary>
internal enum BillingMode
{
    /// <summary>Reserve the worst case in the wallet at acceptance, report usage at the end (billingVersion 0).</summary>
    Legacy,

    /// <summary>Check feature access at acceptance, send a meter event at the end (billingVersion 1).</summary>
    Standard,

    /// <summary>Unmetered: only for the overhead benchmark, never for users.</summary>
    Off,
}
