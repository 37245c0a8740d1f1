namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Reservations pooled for the fleet: every replica draws uses from the same row, decremented atomically in the
/// database so concurrent replicas never take more uses than the pool holds. Expiry is compared with this instance's
/// <see cref="TimeProvider"/>, the clock that also reads Paygentic's expiry times.
/// </summary>
public sealed class OutboxReservationPoolTable
{
    private const string PoolColumns = "pool_key, reservation_id, remaining_uses, expires_at";
    private readonly StoreContext _context;
    private readonly string _save;
    private readonly string _get;
    private readonly string _loadLive;
    private readonly string _take;
    private readonly string _remove;
    private readonly string _purge;

    internal OutboxReservationPoolTable(StoreContext context)
    {
        _context = context;
        var s = context.Schema;
        _save = $"""
            INSERT INTO {s}.reservation_pools (pool_key, reservation_id, remaining_uses, expires_at, updated_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (pool_key) DO UPDATE SET reservation_id = EXCLUDED.reservation_id,
                remaining_uses = EXCLUDED.remaining_uses, expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at
            """;
        _get = $"SELECT {PoolColumns} FROM {s}.reservation_pools WHERE pool_key = $1";
        _loadLive = $"SELECT {PoolColumns} FROM {s}.reservation_pools WHERE expires_at > $1 AND remaining_uses > 0 ORDER BY pool_key";

        // The check and the decrement are one UPDATE: the row lock serialises concurrent takers, and each re-checks
        // remaining_uses on the row as the previous taker left it.
        _take = $"""
            UPDATE {s}.reservation_pools SET remaining_uses = remaining_uses - $2, updated_at = $3
            WHERE pool_key = $1 AND remaining_uses >= $2 AND expires_at > $3
            RETURNING {PoolColumns}
            """;
        _remove = $"DELETE FROM {s}.reservation_pools WHERE pool_key = $1";
        _purge = $"DELETE FROM {s}.reservation_pools WHERE expires_at <= $1 OR remaining_uses = 0";
    }

    /// <summary>Stores a pool, replacing one with the same key.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task SaveAsync(StoredReservationPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentException.ThrowIfNullOrEmpty(pool.Key);
        ArgumentException.ThrowIfNullOrEmpty(pool.ReservationId);
        ArgumentOutOfRangeException.ThrowIfNegative(pool.RemainingUses);
        var statement = new WriteStatement(_save, [pool.Key, pool.ReservationId, pool.RemainingUses, pool.ExpiresAt.ToUniversalTime(), _context.UtcNow()]);
        await _context.Writer.WriteAsync(statement, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one pool (expired or exhausted included), or null.</summary>
    /// <param name="key">The pool's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pool, or null.</returns>
    public async Task<StoredReservationPool?> GetAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await using var command = _context.Command(_get, key);
        var pools = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return pools.Count == 0 ? null : pools[0];
    }

    /// <summary>Reads every pool that is neither expired nor exhausted, by key.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pools.</returns>
    public async Task<IReadOnlyList<StoredReservationPool>> LoadLiveAsync(CancellationToken cancellationToken)
    {
        await using var command = _context.Command(_loadLive, _context.UtcNow());
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes <paramref name="uses"/> uses from a pool when it holds that many and has not expired, atomically across
    /// the fleet.
    /// </summary>
    /// <param name="key">The pool's key.</param>
    /// <param name="uses">How many uses to take (at least 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pool as left after the take, or null when it is missing, expired or short (nothing taken).</returns>
    public async Task<StoredReservationPool?> TryTakeAsync(string key, long uses, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(uses, 1);
        await using var command = _context.Command(_take, key, uses, _context.UtcNow());
        var pools = await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        return pools.Count == 0 ? null : pools[0];
    }

    /// <summary>Removes a pool (e.g. its reservation was released).</summary>
    /// <param name="key">The pool's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether a pool was removed.</returns>
    public async Task<bool> RemoveAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await using var command = _context.Command(_remove, key);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Deletes expired and exhausted pools.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were deleted.</returns>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var command = _context.Command(_purge, _context.UtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<StoredReservationPool>> ReadAsync(Npgsql.NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var pools = new List<StoredReservationPool>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pools.Add(new StoredReservationPool
            {
                Key = reader.GetString(0),
                ReservationId = reader.GetString(1),
                RemainingUses = reader.GetInt64(2),
                ExpiresAt = reader.GetFieldValue<DateTimeOffset>(3),
            });
        }

        return pools;
    }
}
