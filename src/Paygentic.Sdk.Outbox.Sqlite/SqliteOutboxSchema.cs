using System.Globalization;
using Microsoft.Data.Sqlite;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>
/// Opens an outbox file: checks that it is readable, an outbox (or empty) and not from a newer version, without
/// changing it when it is not; then sets the journal, durability and locking, and creates the schema in a new file.
/// </summary>
/// <remarks>
/// Schema 1: <c>outbox(operation_id TEXT PRIMARY KEY, state INTEGER, payload TEXT (OutboxEntry JSON, UTF-8), created_at
/// INTEGER (unix ms), updated_at INTEGER (unix ms))</c> and <c>PRAGMA application_id = 0x50594754</c> ("PYGT").
/// Tombstones (state 3) and reservations (state 4) are rows of the same table, so version 1 files need no migration.
/// Two partial indexes: <c>(state, created_at)</c> over the live rows (every state but delivered) and
/// <c>(created_at)</c> over the tombstones. Files written before them had one index on <c>(state, created_at)</c> over
/// every row; it is replaced at open. The indexes are not part of the version: an older SDK reads and writes either
/// layout correctly, but cannot use the partial indexes, so after a downgrade its loads and purges scan the table.
/// </remarks>
internal static class SqliteOutboxSchema
{
    /// <summary>The write-ahead log's size, in pages, at which it is copied back into the database file.</summary>
    public const int CheckpointPages = 2048;

    /// <summary>The condition of the live rows' partial index; a query names it literally for SQLite to use the index.</summary>
    public static readonly string LiveRows = $"state <> {(int)OutboxEntryState.Delivered}";

    /// <summary>The condition of the tombstones' partial index.</summary>
    public static readonly string Tombstones = $"state = {(int)OutboxEntryState.Delivered}";

    public static void Open(SqliteConnection connection, string path, SqliteOutboxOptions options)
    {
        var (userVersion, applicationId, tables) = Inspect(connection, path);
        if (applicationId != 0 && applicationId != SqliteUsageOutbox.ApplicationId)
        {
            throw new UsageOutboxException($"The file '{path}' is a SQLite database of another application (application_id {applicationId}), not a Paygentic usage outbox. It was left untouched.");
        }

        if (userVersion > SqliteUsageOutbox.SchemaVersion)
        {
            throw new UsageOutboxException(
                $"The usage outbox '{path}' has schema version {userVersion}, written by a newer Paygentic SDK; this version reads up to {SqliteUsageOutbox.SchemaVersion}. " +
                "It was left untouched: upgrade the SDK (downgrading would lose or misread pending reports).");
        }

        if (userVersion == 0 && tables > 0)
        {
            throw new UsageOutboxException($"The file '{path}' is a SQLite database with other tables and no outbox schema version, not a Paygentic usage outbox. It was left untouched.");
        }

        // Exclusive locking must be set before WAL is first used: no shared memory, and no second process.
        Execute(connection, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
        if (options.ExclusiveAccess)
        {
            Execute(connection, "PRAGMA locking_mode = EXCLUSIVE");
        }

        Execute(connection, "PRAGMA journal_mode = WAL");

        // A checkpoint runs inside the commit that crosses the threshold and flushes the file (even with synchronous =
        // NORMAL). Every guarded operation rewrites the same few hot pages, so a longer log lets one checkpoint copy each
        // page once for many commits: fewer checkpoints and flushes in the tail of the latency. Not much longer: every
        // commit looks its pages up in the log's index and writes further into the file, so the common case slows as the
        // log grows (bench/README.md has the measured trade-off).
        Execute(connection, $"PRAGMA wal_autocheckpoint = {CheckpointPages}");
        Execute(connection, options.FlushEachCommit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        if (userVersion == 0)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, """
                CREATE TABLE outbox (
                    operation_id TEXT NOT NULL PRIMARY KEY,
                    state INTEGER NOT NULL,
                    payload TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                """, transaction);
            CreateIndexes(connection, transaction);
            Execute(connection, $"PRAGMA application_id = {SqliteUsageOutbox.ApplicationId}", transaction);
            Execute(connection, $"PRAGMA user_version = {SqliteUsageOutbox.SchemaVersion}", transaction);
            transaction.Commit();
        }
        else
        {
            // Take the write lock now, so a second process fails here rather than on its first report.
            using var transaction = connection.BeginTransaction(deferred: false);
            CreateIndexes(connection, transaction);
            transaction.Commit();
        }
    }

    /// <summary>
    /// The live rows (open tickets, pending reports, dead letters, reservations) and the tombstones are indexed apart. The
    /// live index stays a few pages however many tombstones are kept, so an operation's ticket and report change the same
    /// hot page of it, and its delivery adds to the end of the tombstones' index, instead of each state change landing
    /// in its own region of one index over every row.
    /// </summary>
    private static void CreateIndexes(SqliteConnection connection, SqliteTransaction transaction) => Execute(connection, $"""
        DROP INDEX IF EXISTS ix_outbox_state_created;
        CREATE INDEX IF NOT EXISTS ix_outbox_live ON outbox (state, created_at) WHERE {LiveRows};
        CREATE INDEX IF NOT EXISTS ix_outbox_delivered ON outbox (created_at) WHERE {Tombstones};
        """, transaction);

    private static (long UserVersion, long ApplicationId, long Tables) Inspect(SqliteConnection connection, string path)
    {
        try
        {
            var userVersion = Scalar(connection, "PRAGMA user_version");
            var applicationId = Scalar(connection, "PRAGMA application_id");
            var tables = Scalar(connection, "SELECT count(*) FROM sqlite_master");
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check";
            var check = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
            if (!string.Equals(check, "ok", StringComparison.Ordinal))
            {
                throw new UsageOutboxException(
                    $"The usage outbox '{path}' is corrupt (integrity check: {check}). It was left untouched: restore it from a backup, or move it aside to start with an empty outbox.");
            }

            return (userVersion, applicationId, tables);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteErrorCodes.NotADatabase or SqliteErrorCodes.Corrupt)
        {
            throw new UsageOutboxException(
                $"The usage outbox '{path}' is not a readable SQLite database (corrupt or not a database: {e.Message}). It was left untouched: " +
                "restore it from a backup, or move it aside to start with an empty outbox (reports in it would then not be delivered).", e);
        }
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
