using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering.Authorization;

/// <summary>
/// Keeps pooled reservations in the outbox so they outlive the process: one row per reservation (id, maximum uses,
/// expiry, the pool's customer and estimate), written once when the pool installs it. How many of its uses are taken is
/// not written per operation (that would cost the hot path a write): it is counted at start from the rows that name the
/// reservation — open tickets, pending reports, dead letters and delivered tombstones. A use whose ticket was cancelled
/// left no row, and is free again, as it is on the server.
/// </summary>
internal sealed class ReservationStore(IUsageOutbox outbox)
{
    private const string KeyPrefix = "reservation:";

    // The rows that hold a use of a reservation.
    private static readonly OutboxEntryState[] UseStates = [OutboxEntryState.Authorized, OutboxEntryState.Pending, OutboxEntryState.DeadLettered, OutboxEntryState.Delivered];

    /// <summary>Records a new reservation of a pool and forgets the one it replaced (none when it was made ahead).</summary>
    public async Task ReplaceAsync(Reservation? previous, Reservation current, int maxUses, string customerId, string? merchantId, IReadOnlyDictionary<string, long> estimate, DateTimeOffset now)
    {
        var row = new OutboxEntry
        {
            OperationId = KeyPrefix + current.Id,
            State = OutboxEntryState.Reservation,
            CreatedAt = now,
            ReservationUses = current.MaxUses is > 0 and var m ? Math.Min(m, maxUses) : maxUses,
            Ticket = new MeteringTicket
            {
                OperationId = KeyPrefix + current.Id,
                CustomerId = customerId,
                MerchantId = merchantId,
                Strategy = MeteringStrategy.Legacy,
                AuthorizationId = current.Id,
                AuthorizationExpiresAt = current.ExpiresAt,
                Pooled = true,
                Estimate = estimate,
                AuthorizedAt = now,
            },
        };

        // Best effort: without the row a restart creates a new pool (held twice until this one expires), never a charge.
        try
        {
            await outbox.UpsertAsync([row], CancellationToken.None).ConfigureAwait(false);
            if (previous is not null)
            {
                await outbox.RemoveAsync([KeyPrefix + previous.Id], CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // see above: a missing row costs a second hold after a restart, nothing more
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Forgets a reservation the pool no longer uses (best effort: a row left behind is found spent at the next start).</summary>
    public async Task ForgetAsync(Reservation retired)
    {
        try
        {
            await outbox.RemoveAsync([KeyPrefix + retired.Id], CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // see above
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Removes every stored reservation, so no later start reuses one.</summary>
    public async Task ForgetAllAsync(CancellationToken cancellationToken)
    {
        var rows = await outbox.LoadAsync(OutboxEntryState.Reservation, cancellationToken).ConfigureAwait(false);
        if (rows.Count > 0)
        {
            await outbox.RemoveAsync([.. rows.Select(r => r.OperationId)], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The stored reservations that still have uses and time left (the others are removed), each with how many of its
    /// uses are taken.
    /// </summary>
    public async Task<List<(MeteringTicket Ticket, Reservation Reservation, int MaxUses, int Used)>> LoadUsableAsync(DateTimeOffset now, TimeSpan refreshMargin, CancellationToken cancellationToken)
    {
        var rows = await outbox.LoadAsync(OutboxEntryState.Reservation, cancellationToken).ConfigureAwait(false);
        var usable = new List<(MeteringTicket, Reservation, int, int)>();
        if (rows.Count == 0)
        {
            return usable;
        }

        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var state in UseStates)
        {
            foreach (var entry in await outbox.LoadAsync(state, cancellationToken).ConfigureAwait(false))
            {
                if (entry.Ticket is { Pooled: true, AuthorizationId: { } id })
                {
                    used[id] = used.GetValueOrDefault(id) + 1;
                }
            }
        }

        var spent = new List<string>();
        foreach (var row in rows)
        {
            var ticket = row.Ticket;
            var maxUses = row.ReservationUses ?? 0;
            var taken = used.GetValueOrDefault(ticket.AuthorizationId ?? string.Empty);
            var expires = ticket.AuthorizationExpiresAt;
            if (ticket.AuthorizationId is null || taken >= maxUses || (expires is { } e && now >= e - refreshMargin))
            {
                spent.Add(row.OperationId);
                continue;
            }

            usable.Add((ticket, new Reservation { Id = ticket.AuthorizationId, MaxUses = maxUses, ExpiresAt = expires }, maxUses, taken));
        }

        if (spent.Count > 0)
        {
            await outbox.RemoveAsync(spent, cancellationToken).ConfigureAwait(false);
        }

        return usable;
    }
}
