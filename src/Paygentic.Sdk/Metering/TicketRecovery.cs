using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// Finishes tickets that an earlier process authorized and never completed or cancelled, as
/// <see cref="MeteringOptions.Recovery"/> decides: report the estimate (the default) or other quantities, skip, or keep.
/// </summary>
internal sealed class TicketRecovery(
    MeteringOptions options,
    IUsageOutbox outbox,
    MeteringMetrics metrics,
    ILogger logger,
    Func<MeteringTicket, IReadOnlyDictionary<string, long>, IReadOnlyDictionary<string, string>?, Task> complete)
{
    public async Task RecoverAsync(MeteringTicket ticket)
    {
        RecoveryDecision decision;
        try
        {
            decision = await options.Recovery(ticket, CancellationToken.None).ConfigureAwait(false) ?? RecoveryDecision.Keep;
        }
#pragma warning disable CA1031 // a failing callback keeps the ticket for the next start rather than stopping this one
        catch (Exception e)
#pragma warning restore CA1031
        {
            MeteringLog.Recovered(logger, ticket.OperationId, ticket.CustomerId, "kept (callback threw " + e.GetType().Name + ")");
            return;
        }

        metrics.Recovered.Add(1, new KeyValuePair<string, object?>("action", decision.Action.ToString()));
        MeteringLog.Recovered(logger, ticket.OperationId, ticket.CustomerId, decision.Action.ToString());
        switch (decision.Action)
        {
            case RecoveryAction.Report:
                var quantities = QuantityMaps.Overlay(ticket.Estimate, decision.Quantities);
                var metadata = QuantityMaps.MergeCopy(ticket.Metadata, null);
                metadata["paygentic.recovered"] = "true";
                await complete(ticket, quantities, metadata).ConfigureAwait(false);
                break;
            case RecoveryAction.Skip:
                await outbox.RemoveAsync([ticket.OperationId], CancellationToken.None).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }
}
