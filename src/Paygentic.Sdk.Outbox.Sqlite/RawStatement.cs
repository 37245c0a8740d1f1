using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>
/// A statement prepared once on the raw SQLite handle and run many times: binding a string (UTF-16, pinned), a span or
/// a long, stepping and resetting allocate nothing, where a Microsoft.Data.Sqlite command allocated about half a
/// kilobyte per execution (its data reader, boxed parameter values) — on the hot path, three times per guarded operation.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(sqlite3 db, string sql)
    {
        _db = db;
        var rc = raw.sqlite3_prepare_v2(db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>Binds text, or SQL NULL for a null string (which the table's NOT NULL rules then refuse).</summary>
    public RawStatement Bind(int index, string? value)
    {
        var rc = value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan());
        SqliteException.ThrowExceptionForRC(rc, _db);
        return this;
    }

    public RawStatement Bind(int index, long value)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(_statement, index, value), _db);
        return this;
    }

    public RawStatement Bind(int index, ReadOnlySpan<byte> value)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_blob(_statement, index, value), _db);
        return this;
    }

    /// <summary>Runs the statement to completion; returns the rows it changed.</summary>
    /// <exception cref="SqliteException">SQLite refused it (the message names why).</exception>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            // The message is read before the reset, which would replace it.
            var error = new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
            raw.sqlite3_reset(_statement);
            throw error;
        }

        raw.sqlite3_reset(_statement);
        return raw.sqlite3_changes(_db);
    }

    public void Dispose() => _statement.Dispose();
}
