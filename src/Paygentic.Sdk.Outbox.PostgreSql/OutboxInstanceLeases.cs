using Npgsql;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// The instances table: each replica registers, renews its lease, and adopts the open tickets and pending reports
/// of replicas whose lease expired. Leases are computed with the database's clock (<c>now()</c>), never a replica's:
/// replicas' clocks drift apart, and a fast clock on one must not let it take a live replica's work.
/// </summary>
public sealed class OutboxInstanceLeases
{
    private const string LeaseColumns = "id, lease_expires_at, heartbeat_at";
    private readonly StoreContext _context;
    private readonly string _register;
    private readonly string _renew;
    private readonly string _listExpired;
    private readonly string _adopt;

    internal OutboxInstanceLeases(StoreContext context)
    {
        _context = context;
        var s = context.Schema;
        _register = $"""
            INSERT INTO {s}.instances (id, lease_expires_at, heartbeat_at, started_at)
            VALUES ($1, now() + $2, now(), now())
            ON CONFLICT (id) DO UPDATE SET lease_expires_at = EXCLUDED.lease_expires_at, heartbeat_at = EXCLUDED.heartbeat_at
            RETURNING {LeaseColumns}
            """;

        // Only a lease still running is renewed: once it lapsed, a survivor may already have taken the work.
        _renew = $"""
            UPDATE {s}.instances SET lease_expires_at = now() + $2, heartbeat_at = now()
            WHERE id = $1 AND lease_expires_at > now()
            RETURNING {LeaseColumns}
            """;
        _listExpired = $"SELECT {LeaseColumns} FROM {s}.instances WHERE lease_expires_at <= now() ORDER BY lease_expires_at, id";

        // One statement, so one implicit transaction: lock the expired instances no other adopter holds (SKIP
        // LOCKED: each dead instance goes to exactly one survivor), unregister them, and take their tickets and
        // reports, plus orphans whose owner is not registered at all. A renewal racing this either commits first (the
        // row is re-checked and no longer expired) or waits and then finds the row gone (lease lost). Claims the dead
        // held are dropped so their reports are deliverable at once. All CTEs see one snapshot, hence "IN dead".
        _adopt = $"""
            WITH dead AS (
                DELETE FROM {s}.instances d
                WHERE d.id IN (SELECT id FROM {s}.instances
                               WHERE lease_expires_at <= now() AND id <> $1
                               FOR UPDATE SKIP LOCKED)
                RETURNING d.id),
            adopted AS (
                UPDATE {s}.entries e SET
                    owner_instance_id = $1,
                    updated_at = $2,
                    claimed_by = CASE WHEN e.claimed_by IN (SELECT id FROM dead) THEN NULL ELSE e.claimed_by END,
                    claimed_until = CASE WHEN e.claimed_by IN (SELECT id FROM dead) THEN NULL ELSE e.claimed_until END
                WHERE e.state IN ('authorized', 'pending')
                  AND e.owner_instance_id <> $1
                  AND (e.owner_instance_id IN (SELECT id FROM dead)
                       OR NOT EXISTS (SELECT 1 FROM {s}.instances i WHERE i.id = e.owner_instance_id))
                RETURNING {EntryRows.AliasedColumns})
            SELECT NULL::text AS dead_id, a.* FROM adopted a
            UNION ALL
            SELECT d.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM dead d
            """;
    }

    /// <summary>This replica's instance id.</summary>
    public string InstanceId => _context.InstanceId;

    /// <summary>Registers this instance (or refreshes its registration) with a lease of <see cref="PostgreSqlOutboxOptions.LeaseDuration"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease.</returns>
    public async Task<OutboxInstanceLease> RegisterAsync(CancellationToken cancellationToken)
    {
        await using var command = _context.Command(_register, _context.InstanceId, _context.Options.LeaseDuration);
        var leases = await ReadLeasesAsync(command, cancellationToken).ConfigureAwait(false);
        return leases[0];
    }

    /// <summary>
    /// Extends this instance's lease by <see cref="PostgreSqlOutboxOptions.LeaseDuration"/> from now (database clock).
    /// Null means the lease was lost (it lapsed, and survivors may have adopted this instance's work): the caller
    /// must drop the tickets and reports it holds in memory (another replica may own them now), reload what it still
    /// owns, and call <see cref="RegisterAsync"/> before writing again.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed lease, or null when lost.</returns>
    public async Task<OutboxInstanceLease?> RenewAsync(CancellationToken cancellationToken)
    {
        await using var command = _context.Command(_renew, _context.InstanceId, _context.Options.LeaseDuration);
        var leases = await ReadLeasesAsync(command, cancellationToken).ConfigureAwait(false);
        return leases.Count == 0 ? null : leases[0];
    }

    /// <summary>The registered instances whose lease has expired (not yet adopted), longest-expired first.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instances.</returns>
    public async Task<IReadOnlyList<OutboxInstanceLease>> ListExpiredAsync(CancellationToken cancellationToken)
    {
        await using var command = _context.Command(_listExpired);
        return await ReadLeasesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes over the open tickets and pending reports of every instance whose lease expired (and of owners that are
    /// not registered), unregistering the dead instances. Never touches a live instance's entries; two survivors
    /// adopting at once split the dead between them.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was adopted.</returns>
    public async Task<OutboxAdoption> AdoptExpiredAsync(CancellationToken cancellationToken)
    {
        await using var command = _context.Command(_adopt, _context.InstanceId, _context.UtcNow());
        var dead = new List<string>();
        var entries = new List<StoredEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.IsDBNull(0))
            {
                entries.Add(EntryRows.Read(reader, first: 1));
            }
            else
            {
                dead.Add(reader.GetString(0));
            }
        }

        entries.Sort(static (a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        return new OutboxAdoption(dead, entries);
    }

    private static async Task<List<OutboxInstanceLease>> ReadLeasesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var leases = new List<OutboxInstanceLease>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new OutboxInstanceLease(
                reader.GetString(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return leases;
    }
}
