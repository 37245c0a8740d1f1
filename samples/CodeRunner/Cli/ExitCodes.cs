namespace CodeRunner.Cli;

/// <summary>The process exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The run completed as designed, whatever the submissions' verdicts.</summary>
    public const int Success = 0;

    /// <summary>The billing flow failed: onboarding, a refusal, or reports that could not be delivered.</summary>
    public const int BillingFailed = 1;

    /// <summary>Bad command line or configuration.</summary>
    public const int Usage = 2;
}
