using CodeRunner.Sandbox;
using CodeRunner.Server.Billing;
using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Execution;

/// <summary>
/// At start, before the server listens, finishes what a killed process left: deletions are cancelled and removed,
/// queued and running submissions are queued again (a run cut short runs again; it is charged once, by its token's
/// key), and results whose billing was not settled are settled. Registered after the guard, which starts first.
/// </summary>
internal sealed class SubmissionRecovery(
    SubmissionStore store,
    SubmissionQueue queue,
    SubmissionSettlement settlement,
    ISubmissionBilling billing,
    ILogger<SubmissionRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int requeued = 0, settled = 0, deleted = 0;
        foreach (SubmissionRecord record in await store.LoadUnfinishedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.StatusId == SubmissionRecord.Deleting)
            {
                if (record.Billing == BillingState.Authorized && record.TicketJson is not null)
                {
                    await billing.CancelAsync(record.TicketJson, cancellationToken).ConfigureAwait(false);
                    await store.SetBillingAsync(record.Token, BillingState.Cancelled, 0, cancellationToken).ConfigureAwait(false);
                }

                await store.DeleteAsync(record.Token, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            else if (record.StatusId == JudgeStatus.InQueue.Id || record.StatusId == JudgeStatus.Processing.Id)
            {
                if (record.StatusId == JudgeStatus.Processing.Id)
                {
                    await store.TryTransitionAsync(record.Token, JudgeStatus.Processing.Id, JudgeStatus.InQueue.Id, cancellationToken).ConfigureAwait(false);
                }

                queue.EnqueueRecovered(record.Token);
                requeued++;
            }
            else
            {
                await settlement.SettleAsync(record, record.StatusId, record.Outcome, cancellationToken).ConfigureAwait(false);
                settled++;
            }
        }

        ServerLog.Recovered(logger, requeued, settled, deleted);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
