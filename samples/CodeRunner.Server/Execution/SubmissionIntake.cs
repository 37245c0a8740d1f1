using CodeRunner.Server.Billing;
using CodeRunner.Server.Storage;
using Paygentic.Sdk;

namespace CodeRunner.Server.Execution;

/// <summary>
/// Accepts submissions: a place in the queue, then the user's authorization (each submission its own operation,
/// reserving its worst case), then the row, then the queue. A refusal at any step leaves nothing queued or held.
/// </summary>
internal sealed class SubmissionIntake(SubmissionQueue queue, ISubmissionBilling billing, SubmissionStore store, CompletionSignals signals, TimeProvider time)
{
    /// <summary>Accepts all <paramref name="inputs"/> or none (queue full: null). Each may still be refused payment.</summary>
    public async Task<IReadOnlyList<Acceptance>?> AcceptAsync(AccountRecord account, IReadOnlyList<SubmissionInput> inputs, bool wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(inputs);
        if (!queue.TryReserve(inputs.Count))
        {
            return null;
        }

        var accepted = new List<Acceptance>(inputs.Count);
        int index = 0;
        try
        {
            for (; index < inputs.Count; index++)
            {
                accepted.Add(await AcceptOneAsync(account, inputs[index], wait, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            // Places of submissions that were refused, or never reached because of an exception, are free again.
            queue.Release(inputs.Count - index + accepted.Count(a => a.Token is null));
        }

        return accepted;
    }

    private async Task<Acceptance> AcceptOneAsync(AccountRecord account, SubmissionInput input, bool wait, CancellationToken cancellationToken)
    {
        string token = Guid.NewGuid().ToString("D"); // Judge0's tokens are UUIDs
        string? ticket;
        try
        {
            ticket = await billing.AuthorizeAsync(account, token, input, cancellationToken).ConfigureAwait(false);
        }
        catch (PaygenticPaymentRequiredException refused)
        {
            return new Acceptance(null, refused.ReasonCode, null);
        }

        var record = new SubmissionRecord
        {
            Token = token,
            AccountId = account.Id,
            StatusId = 1,
            Input = input,
            TicketJson = ticket,
            Billing = ticket is null ? BillingState.None : BillingState.Authorized,
            CreatedAt = time.GetUtcNow(),
        };
        try
        {
            await store.InsertAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            if (ticket is not null)
            {
                await billing.CancelAsync(ticket, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        Task? finished = wait ? signals.Register(token) : null;
        queue.Enqueue(token);
        return new Acceptance(token, null, finished);
    }
}

/// <summary>One submission's acceptance: its token (and, for wait=true, its completion), or the payment refusal's code.</summary>
internal sealed record Acceptance(string? Token, string? RefusalCode, Task? Finished);
