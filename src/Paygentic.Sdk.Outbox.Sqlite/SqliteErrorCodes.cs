namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>The SQLite primary result codes the outbox reacts to (https://sqlite.org/rescode.html).</summary>
internal static class SqliteErrorCodes
{
    /// <summary>SQLITE_BUSY: another connection holds the lock (here: another process has the outbox open).</summary>
    public const int Busy = 5;

    /// <summary>SQLITE_LOCKED: a conflict within the same connection or shared cache.</summary>
    public const int Locked = 6;

    /// <summary>SQLITE_CORRUPT: the file is damaged.</summary>
    public const int Corrupt = 11;

    /// <summary>SQLITE_NOTADB: the file is not a SQLite database.</summary>
    public const int NotADatabase = 26;
}
