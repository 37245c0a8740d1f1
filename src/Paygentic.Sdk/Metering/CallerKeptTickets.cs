using System.Collections.Concurrent;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// The open tickets with a pooled use that this process handed to callers who store them themselves
/// (<see cref="MeteringOptions.CallerStoresTickets"/>). The outbox has no row to tell such a ticket open from finished,
/// so this set does: a cancel gives the use back to its pool only while the ticket is open here, so once, and never
/// after a completion. A ticket of an earlier process is not here; its use belongs to a reservation no pool serves.
/// </summary>
internal sealed class CallerKeptTickets
{
    private readonly ConcurrentDictionary<string, byte> _open = new(StringComparer.Ordinal);

    /// <summary>Remembers <paramref name="ticket"/> while it is open, if it holds a pooled use (only those are given back).</summary>
    public void Opened(MeteringTicket ticket)
    {
        if (ticket.Pooled)
        {
            _open.TryAdd(ticket.OperationId, 0);
        }
    }

    /// <summary>Ends the ticket of <paramref name="operationId"/>; true when it was open here (the first end only).</summary>
    public bool TryClose(string operationId) => _open.TryRemove(operationId, out _);
}
