using System.Text.Json;
using Microsoft.Data.Sqlite;
using Paygentic.Sdk.Metering.Reporting;
using SQLitePCL;

namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>
/// The outbox's statements, prepared once on its one connection, and the commit of a batch of operations. Used by one
/// thread at a time (the group commit's committer).
/// </summary>
internal sealed class SqliteOutboxStatements : IDisposable
{
    // The payload is bound as UTF-8 bytes and stored as TEXT (CAST): no UTF-16 copy of the JSON on the way in.
    private const string Values = "VALUES ($id, $state, CAST($payload AS TEXT), $created, $updated)";
    private const string Insert = "INSERT INTO outbox (operation_id, state, payload, created_at, updated_at) " + Values;

    // Each read names its partial index's condition literally (SQLite uses a partial index only for a query whose WHERE
    // contains that term): live rows and tombstones are indexed apart (SqliteOutboxSchema).
    private const string Select = "SELECT operation_id, payload, state, created_at FROM outbox";

    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly RawStatement _upsert;
    private readonly RawStatement _insert;
    private readonly RawStatement _delete;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _loadLive;
    private readonly SqliteCommand _loadDelivered;
    private readonly SqliteCommand _purgeLive;
    private readonly SqliteCommand _purgeDelivered;
    private readonly RawStatement _markDelivered;

    // BEGIN and COMMIT are prepared once too: a SqliteTransaction compiles them anew on every commit, which cost more
    // than the writes themselves.
    private readonly RawStatement _begin;
    private readonly RawStatement _commit;
    private readonly RawStatement _rollback;

    // Set when a rollback failed: a transaction may be open that nothing will commit, so every call fails.
    private SqliteException? _broken;

    /// <summary>The live rows in one state, oldest first.</summary>
    internal static string LoadLiveSql { get; } = $"{Select} WHERE state = $p AND {SqliteOutboxSchema.LiveRows} ORDER BY created_at, rowid";

    /// <summary>The tombstones, oldest first.</summary>
    internal static string LoadDeliveredSql { get; } = $"{Select} WHERE {SqliteOutboxSchema.Tombstones} ORDER BY created_at, rowid";

    /// <summary>Removes the live rows of one state written before a time.</summary>
    internal static string PurgeLiveSql { get; } = $"DELETE FROM outbox WHERE state = $state AND {SqliteOutboxSchema.LiveRows} AND created_at < $before";

    /// <summary>Removes the tombstones written before a time.</summary>
    internal static string PurgeDeliveredSql { get; } = $"DELETE FROM outbox WHERE {SqliteOutboxSchema.Tombstones} AND created_at < $before";

    public SqliteOutboxStatements(SqliteConnection connection, string path, TimeProvider time)
    {
        _connection = connection;
        _path = path;
        _time = time;
        var db = connection.Handle!;
        _upsert = new RawStatement(db, Insert + " ON CONFLICT (operation_id) DO UPDATE SET state = excluded.state, payload = excluded.payload, created_at = excluded.created_at, updated_at = excluded.updated_at");
        _insert = new RawStatement(db, Insert + " ON CONFLICT (operation_id) DO NOTHING");
        _delete = new RawStatement(db, "DELETE FROM outbox WHERE operation_id = $id");
        _get = Command("SELECT operation_id, payload, state, created_at FROM outbox WHERE operation_id = $p", ("$p", SqliteType.Text));
        _loadLive = Command(LoadLiveSql, ("$p", SqliteType.Integer));
        _loadDelivered = Command(LoadDeliveredSql);

        // A delivered report becomes its tombstone in place: the same cost as the delete it replaces, no payload written.
        _markDelivered = new RawStatement(
            db, $"UPDATE outbox SET state = {(int)OutboxEntryState.Delivered}, created_at = ?2, updated_at = ?2 WHERE operation_id = ?1 AND state = {(int)OutboxEntryState.Pending}");
        _purgeLive = Command(PurgeLiveSql, ("$state", SqliteType.Integer), ("$before", SqliteType.Integer));
        _purgeDelivered = Command(PurgeDeliveredSql, ("$before", SqliteType.Integer));
        _begin = new RawStatement(db, "BEGIN");
        _commit = new RawStatement(db, "COMMIT");
        _rollback = new RawStatement(db, "ROLLBACK");
    }

    /// <summary>Applies a batch all or nothing. A lone statement commits by itself; several share one transaction and one flush.</summary>
    public void Commit(List<OutboxOperation> batch)
    {
        EnsureNoOpenTransaction();
        var statements = 0;
        foreach (var operation in batch)
        {
            statements += operation.Statements;
        }

        // With other operations in the batch, even one write needs the transaction: if a later operation fails, the batch
        // is rolled back and retried one by one, and a write committed on its own would then run twice (an insert-if-absent
        // would answer "present" about its own row).
        var inTransaction = statements > 1 || (statements == 1 && batch.Count > 1);
        if (inTransaction)
        {
            _begin.Execute();
        }

        try
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var operation in batch)
            {
                Apply(operation, now);
            }

            if (inTransaction)
            {
                _commit.Execute();
            }
        }
        catch when (inTransaction && raw.sqlite3_get_autocommit(_connection.Handle) == 0)
        {
            // Undo the part of the batch that ran, so the callers can be retried one by one on a clean slate.
            RollBack();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var command in (SqliteCommand[])[_get, _loadLive, _loadDelivered, _purgeLive, _purgeDelivered])
        {
            command.Dispose();
        }

        foreach (var statement in (RawStatement[])[_upsert, _insert, _delete, _markDelivered, _begin, _commit, _rollback])
        {
            statement.Dispose();
        }
    }

    private void Apply(OutboxOperation operation, long now)
    {
        if (operation is RowWrite write)
        {
            if (write.Kind == OutboxOperationKind.Insert)
            {
                write.Inserted = Write(_insert, write.Rows[0], now) == 1;
                return;
            }

            foreach (var row in write.Rows)
            {
                Write(_upsert, row, now);
            }

            return;
        }

        var keyed = (KeyedOperation)operation;
        switch (keyed.Kind)
        {
            case OutboxOperationKind.Remove:
                foreach (var id in keyed.Ids!)
                {
                    _delete.Bind(1, id).Execute();
                }

                break;
            case OutboxOperationKind.Get:
                keyed.Result = Read(_get, keyed.Ids![0]);
                break;
            case OutboxOperationKind.Load:
                keyed.Result = keyed.State == (int)OutboxEntryState.Delivered ? Read(_loadDelivered, null) : Read(_loadLive, keyed.State!.Value);
                break;
            case OutboxOperationKind.MarkDelivered:
                foreach (var id in keyed.Ids!)
                {
                    _markDelivered.Bind(1, id).Bind(2, keyed.Before).Execute();
                }

                break;
            case OutboxOperationKind.Purge:
                keyed.Removed = Purge(keyed.State!.Value, keyed.Before);
                break;
        }
    }

    /// <summary>
    /// Refuses to write into a transaction left open by a failed rollback: a lone statement would join it, be reported as
    /// written, and never be committed. One more rollback is tried; if it fails, every call fails from then on.
    /// </summary>
    private void EnsureNoOpenTransaction()
    {
        if (_broken is { } broken)
        {
            throw new UsageOutboxException($"The usage outbox '{_path}' can no longer commit (a rollback failed); reopen it to continue.", broken);
        }

        if (raw.sqlite3_get_autocommit(_connection.Handle) == 0)
        {
            RollBack();
        }
    }

    private void RollBack()
    {
        try
        {
            _rollback.Execute();
        }
        catch (SqliteException e)
        {
            _broken = e;
            throw new UsageOutboxException($"The usage outbox '{_path}' could not roll back a failed commit; it refuses further writes until reopened.", e);
        }
    }

    private int Purge(int state, long before)
    {
        if (state == (int)OutboxEntryState.Delivered)
        {
            _purgeDelivered.Parameters[0].Value = before;
            return _purgeDelivered.ExecuteNonQuery();
        }

        _purgeLive.Parameters[0].Value = state;
        _purgeLive.Parameters[1].Value = before;
        return _purgeLive.ExecuteNonQuery();
    }

    private static int Write(RawStatement statement, in OutboxRow row, long now) =>
        statement.Bind(1, row.OperationId).Bind(2, row.State).Bind(3, row.Payload).Bind(4, row.CreatedAt).Bind(5, now).Execute();

    private List<OutboxEntry> Read(SqliteCommand command, object? parameter)
    {
        if (parameter is not null)
        {
            command.Parameters[0].Value = parameter;
        }

        using var reader = command.ExecuteReader();
        var result = new List<OutboxEntry>();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            try
            {
                // Rows are TEXT; reading their bytes skips a UTF-16 copy of every payload (recovery reads many).
                var entry = OutboxEntry.FromJson(reader.GetFieldValue<byte[]>(1));
                var state = (OutboxEntryState)reader.GetInt32(2);
                if (state == OutboxEntryState.Delivered && entry.State != OutboxEntryState.Delivered)
                {
                    // Marked delivered in place: the payload is the pending report it was.
                    entry = EarlierTombstone(entry, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
                }

                result.Add(entry);
            }
            catch (JsonException e)
            {
                throw new UsageOutboxException($"The usage outbox row '{id}' in '{_path}' cannot be read ({e.Message}); the file was left untouched.", e);
            }
        }

        return result;
    }

    private static OutboxEntry EarlierTombstone(OutboxEntry report, DateTimeOffset deliveredAt) => report with
    {
        State = OutboxEntryState.Delivered,
        Outcome = Metering.ReportState.Delivered,
        CreatedAt = deliveredAt,
        LastError = null,
    };

    private SqliteCommand Command(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        return command;
    }
}
