using CodeRunner.Sandbox;
using CodeRunner.Server.Billing;
using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Execution;

/// <summary>
/// Ends a finished submission's billing: complete for a verdict the user's code earned (3–12), cancel otherwise, then
/// record it. Safe to repeat after a crash: the guard's report key derives from the submission token, and the row
/// changes (and adds to the spend) only once.
/// </summary>
internal sealed class SubmissionSettlement(ISubmissionBilling billing, SubmissionStore store)
{
    public async Task SettleAsync(SubmissionRecord record, int statusId, SubmissionOutcome? outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Billing != BillingState.Authorized || record.TicketJson is null)
        {
            return;
        }

        if (JudgeStatus.FromId(statusId).IsBillable && outcome is not null)
        {
            long charge = await billing.CompleteAsync(record.TicketJson, record.Input, outcome, cancellationToken).ConfigureAwait(false);
            await store.SetBillingAsync(record.Token, BillingState.Charged, charge, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await billing.CancelAsync(record.TicketJson, cancellationToken).ConfigureAwait(false);
            await store.SetBillingAsync(record.Token, BillingState.Cancelled, 0, cancellationToken).ConfigureAwait(false);
        }
    }
}
