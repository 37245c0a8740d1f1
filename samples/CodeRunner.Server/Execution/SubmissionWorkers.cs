using CodeRunner.Sandbox;
using CodeRunner.Server.Configuration;
using CodeRunner.Server.Storage;
using Paygentic.Sdk.Metering;

namespace CodeRunner.Server.Execution;

/// <summary>
/// The worker pool: <c>--workers</c> loops take tokens from the queue, claim the row (1 → 2; a DELETE that got there
/// first wins), run it in a sandbox, store the verdict, then settle its billing. A submission that waited past the
/// queue timeout, or whose reservation expired, is cancelled instead (13, not charged). On shutdown a running job is
/// killed and left in state 2, which the restart runs again.
/// </summary>
internal sealed class SubmissionWorkers(
    SubmissionQueue queue,
    SubmissionStore store,
    SubmissionRunner runner,
    SubmissionSettlement settlement,
    CompletionSignals signals,
    ServerSettings settings,
    TimeProvider time,
    ILogger<SubmissionWorkers> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (string token in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                queue.Dequeued();
                try
                {
                    await ProcessAsync(token, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // one submission's failure (the database, the billing server) must not stop the pool
                catch (Exception e)
#pragma warning restore CA1031
                {
                    ServerLog.Failed(logger, token, e.GetType().Name);
                    signals.Finished(token);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(string token, CancellationToken stoppingToken)
    {
        SubmissionRecord? record = await store.GetAsync(token, stoppingToken).ConfigureAwait(false);
        if (record is null || record.StatusId != JudgeStatus.InQueue.Id)
        {
            return; // deleted meanwhile, or already taken
        }

        if (IsExpired(record))
        {
            if (await store.TryTransitionAsync(token, JudgeStatus.InQueue.Id, JudgeStatus.InternalError.Id, stoppingToken).ConfigureAwait(false))
            {
                var expired = new SubmissionOutcome { Message = "the submission expired in the queue before it could run; it was not charged" };
                await store.SaveOutcomeAsync(token, JudgeStatus.InternalError.Id, expired, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                await settlement.SettleAsync(record, JudgeStatus.InternalError.Id, expired, CancellationToken.None).ConfigureAwait(false);
                ServerLog.Expired(logger, token);
                signals.Finished(token);
            }

            return;
        }

        if (!await store.TryTransitionAsync(token, JudgeStatus.InQueue.Id, JudgeStatus.Processing.Id, stoppingToken).ConfigureAwait(false))
        {
            return;
        }

        (JudgeStatus status, SubmissionOutcome outcome) = await runner.RunAsync(record.Input, stoppingToken).ConfigureAwait(false);
        // From here on the work is done: finish recording and billing it even if shutdown has begun.
        await store.SaveOutcomeAsync(token, status.Id, outcome, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        await settlement.SettleAsync(record, status.Id, outcome, CancellationToken.None).ConfigureAwait(false);
        SubmissionRecord? settled = await store.GetAsync(token, CancellationToken.None).ConfigureAwait(false);
        ServerLog.Finished(logger, token, status.Id, outcome.CpuMilliseconds, settled?.ChargeNanos ?? 0);
        signals.Finished(token);
    }

    private bool IsExpired(SubmissionRecord record)
    {
        DateTimeOffset now = time.GetUtcNow();
        if (now - record.CreatedAt > settings.QueueTimeout)
        {
            return true;
        }

        // Running after the reservation lapsed would report usage against a hold that no longer covers it.
        return record.TicketJson is { } json && MeteringTicket.FromJson(json).AuthorizationExpiresAt is { } expires && now >= expires;
    }
}
