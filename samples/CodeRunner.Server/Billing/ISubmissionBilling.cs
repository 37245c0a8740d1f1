using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Billing;

/// <summary>
/// The two phases of a submission's billing: authorize at acceptance (throws
/// <see cref="Paygentic.Sdk.PaygenticPaymentRequiredException"/> when the user cannot pay), then complete or cancel at
/// the end. The ticket travels as JSON in the submission's row, so another process can finish it after a restart.
/// </summary>
internal interface ISubmissionBilling
{
    bool IsMetered { get; }

    /// <summary>The serialized ticket, or null when unmetered.</summary>
    Task<string?> AuthorizeAsync(AccountRecord account, string token, SubmissionInput input, CancellationToken cancellationToken);

    /// <summary>Reports the usage of a billable verdict (3–12); returns the charge in nanodollars.</summary>
    Task<long> CompleteAsync(string ticketJson, SubmissionInput input, SubmissionOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Ends the authorization without a charge (deleted, expired, 13/14, our failure).</summary>
    Task CancelAsync(string ticketJson, CancellationToken cancellationToken);
}
