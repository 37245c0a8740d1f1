using Npgsql;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Creates and upgrades the outbox schema. The store runs it at start; run it ahead of time (a deploy step with a
/// role that may create schemas) when the application's role may not, after which the store only reads the version.
/// </summary>
public static class PostgreSqlOutboxMigrator
{
    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => Migrations.Latest;

    /// <summary>
    /// Brings <paramref name="schema"/> to <see cref="LatestVersion"/>: creates it when absent and applies the missing
    /// migrations in one transaction under a transaction-scoped advisory lock on the schema's name, so replicas that
    /// start together migrate once and the others wait, then find nothing to do.
    /// </summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The schema name (see <see cref="PostgreSqlOutboxOptions.Schema"/>).</param>
    /// <param name="cancellationToken">Cancels the call (the transaction rolls back).</param>
    /// <returns>The schema's version afterwards.</returns>
    /// <exception cref="PostgreSqlOutboxSchemaException">The schema is newer than this build, or may not be created.</exception>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var quoted = SchemaName.Quote(schema);

        // Fast path without DDL: an application role that may not CREATE in the database can still start against a
        // schema migrated ahead of time (CREATE SCHEMA IF NOT EXISTS checks the privilege before existence).
        var found = await GetVersionAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
        if (found == LatestVersion)
        {
            return found;
        }

        ThrowIfNewer(schema, found);
        try
        {
            return await MigrateLockedAsync(dataSource, schema, quoted, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new PostgreSqlOutboxSchemaException(
                $"The role may not create or alter the outbox schema \"{schema}\": run PostgreSqlOutboxMigrator.MigrateAsync with a role that may, ahead of time.",
                e);
        }
    }

    /// <summary>Reads the schema's version without changing anything: 0 when the schema or its version table is absent.</summary>
    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The schema name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    public static async Task<int> GetVersionAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var quoted = SchemaName.Quote(schema);
        await using var probe = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        probe.Parameters.Add(new NpgsqlParameter { Value = quoted + ".schema_version" });
        if (!(bool)(await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return 0;
        }

        await using var read = dataSource.CreateCommand($"SELECT coalesce(max(version), 0) FROM {quoted}.schema_version");
        return (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<int> MigrateLockedAsync(NpgsqlDataSource dataSource, string schema, string quoted, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Transaction-scoped, so the lock is released by commit or rollback even if this process dies mid-migration.
        // hashtextextended maps the name to the lock's bigint key inside PostgreSQL, the same for every build.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = "paygentic_outbox_migrate:" + schema });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var create = new NpgsqlCommand(
            $"CREATE SCHEMA IF NOT EXISTS {quoted}; CREATE TABLE IF NOT EXISTS {quoted}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
            connection,
            transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int current;
        await using (var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {quoted}.schema_version", connection, transaction))
        {
            current = (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        // Checked again under the lock: another build may have migrated further while this one waited.
        ThrowIfNewer(schema, current);
        for (var version = current + 1; version <= LatestVersion; version++)
        {
            var script = Migrations.Scripts[version - 1].Replace("{s}", quoted, StringComparison.Ordinal);
            await using var apply = new NpgsqlCommand(script, connection, transaction);
            await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand($"INSERT INTO {quoted}.schema_version (version) VALUES ($1)", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter { Value = version });
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Math.Max(current, LatestVersion);
    }

    private static void ThrowIfNewer(string schema, int found)
    {
        if (found > LatestVersion)
        {
            throw new PostgreSqlOutboxSchemaException(schema, found, LatestVersion);
        }
    }
}
