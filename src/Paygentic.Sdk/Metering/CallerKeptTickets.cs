using System.Collections.Concurrent;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// The open tickets with a pooled use that this process handed to callers who store them themselves
/// (<see cref="MeteringOptions.CallerStoresTickets"/>). The outbox has no row to tell such a ticket open from finished,
/// so this set does: a cancel gives the use back to its pool only while the ticket is open here, so once, and never
/// once a completion has claimed it. A ticket of an earlier process is not here; its use belongs to a reservation no
/// pool serves.
/// </summary>
internal sealed class CallerKeptTickets(TimeProvider time)
{
    private const int PruneEvery = 1024;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _open = new(StringComparer.Ordinal);
    private int _opened;

    /// <summary>How many tickets are open here (for tests).</summary>
    public int Count => _open.Count;

    /// <summary>Remembers <paramref name="ticket"/> while it is open, if it holds a pooled use (only those are given back).</summary>
    public void Opened(MeteringTicket ticket)
    {
        if (!ticket.Pooled)
        {
            return;
        }

        _open[ticket.OperationId] = ticket.AuthorizationExpiresAt ?? DateTimeOffset.MaxValue;
        if (Interlocked.Increment(ref _opened) % PruneEvery == 0)
        {
            Prune();
        }
    }

    /// <summary>Ends the ticket of <paramref name="operationId"/>; true when it was open here (the first end only).</summary>
    public bool TryClose(string operationId) => _open.TryRemove(operationId, out _);

    // Tickets a caller lost, or finished in another process, would stay forever; once their reservation has expired no
    // pool hands out its uses, so there is nothing left to give back.
    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var open in _open)
        {
            if (open.Value <= now)
            {
                _open.TryRemove(open);
            }
        }
    }
}
