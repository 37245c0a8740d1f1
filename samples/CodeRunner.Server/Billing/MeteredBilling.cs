using System.Diagnostics;
using System.Globalization;
using CodeRunner.Server.Storage;
using Paygentic.Sdk.Metering;

namespace CodeRunner.Server.Billing;

/// <summary>Billing through the SDK's guard, two-phase (its public API only).</summary>
internal sealed class MeteredBilling(IMeteringGuard guard, SubmissionTariff tariff, GuardTimings timings) : ISubmissionBilling
{
    public bool IsMetered => true;

    public async Task<string?> AuthorizeAsync(AccountRecord account, string token, SubmissionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        long started = Stopwatch.GetTimestamp();
        MeteringTicket ticket = await guard.AuthorizeAsync(
            tariff.OperationFor(account.CustomerId ?? string.Empty, token, input), cancellationToken).ConfigureAwait(false);
        timings.Authorized(token, Stopwatch.GetTimestamp() - started);
        return ticket.ToJson();
    }

    public async Task<long> CompleteAsync(string ticketJson, SubmissionInput input, SubmissionOutcome outcome, CancellationToken cancellationToken)
    {
        MeteringTicket ticket = MeteringTicket.FromJson(ticketJson);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cpuMs"] = outcome.CpuMilliseconds.ToString(CultureInfo.InvariantCulture),
        };
        long started = Stopwatch.GetTimestamp();
        MeteringReceipt receipt = await guard.CompleteAsync(ticket, tariff.ActualQuantities(input, outcome), metadata, cancellationToken).ConfigureAwait(false);
        string? token = SubmissionTariff.TokenOf(ticket.OperationId);
        if (token is not null)
        {
            timings.Completed(token, Stopwatch.GetTimestamp() - started);
        }

        return tariff.PriceOf(receipt.Quantities).Value;
    }

    public async Task CancelAsync(string ticketJson, CancellationToken cancellationToken)
    {
        MeteringTicket ticket = MeteringTicket.FromJson(ticketJson);
        if (SubmissionTariff.TokenOf(ticket.OperationId) is { } token)
        {
            timings.Forget(token);
        }

        await guard.CancelAsync(ticket, cancellationToken).ConfigureAwait(false);
    }
}
