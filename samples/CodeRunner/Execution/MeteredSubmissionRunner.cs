using System.Globalization;
using CodeRunner.Billing;
using CodeRunner.Sandbox;
using Paygentic.Sdk;
using Paygentic.Sdk.Metering;

namespace CodeRunner.Execution;

/// <summary>
/// Runs each submission as authorize → execute in the sandbox → report. This is the code a service copies:
/// the customer's ability to pay is checked before any user code runs; a verdict of 3–12 is reported (the user's
/// code ran); 13/14 and a crash of our own are cancelled, so they cost the user nothing.
/// </summary>
internal sealed class MeteredSubmissionRunner(IMeteringGuard guard, ISandboxExecutor sandbox, SubmissionTariff tariff)
{
    public async Task<SubmissionOutcome> RunAsync(SubmissionJob job, string customerId, string operationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        MeteringTicket ticket;
        try
        {
            ticket = await guard.AuthorizeAsync(tariff.OperationFor(job, customerId, operationId), cancellationToken).ConfigureAwait(false);
        }
        catch (PaygenticPaymentRequiredException denied)
        {
            return new SubmissionOutcome { Job = job, OperationId = operationId, Denial = denied.ReasonCode };
        }

        SubmissionResult result;
        try
        {
            result = await sandbox.ExecuteAsync(job.Submission, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Cancelled or our own bug: the user is not charged for a run we did not finish.
            await guard.CancelAsync(ticket, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (!result.IsBillable)
        {
            // 13 Internal Error / 14 Exec Format Error: the service's fault, so the authorization ends without a charge.
            await guard.CancelAsync(ticket, cancellationToken).ConfigureAwait(false);
            return new SubmissionOutcome { Job = job, OperationId = operationId, Result = result };
        }

        IReadOnlyDictionary<string, long> quantities = tariff.ActualQuantities(job, result);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["status"] = result.Status.Id.ToString(CultureInfo.InvariantCulture),
        };

        // The report is in the outbox before this returns; delivery may still be under way (see the final flush).
        MeteringReceipt receipt = await guard.CompleteAsync(ticket, quantities, metadata, cancellationToken).ConfigureAwait(false);
        return new SubmissionOutcome
        {
            Job = job,
            OperationId = operationId,
            Result = result,
            Quantities = receipt.Quantities,
            IdempotencyKey = receipt.IdempotencyKey,
            ReportState = receipt.State,
            ChargeUsd = tariff.PriceOf(receipt.Quantities),
        };
    }
}
