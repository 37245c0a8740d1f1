using Microsoft.Data.Sqlite;

namespace CodeRunner.Server.Storage;

/// <summary>
/// The service's own SQLite database: accounts (token hash → Paygentic customer and subscription) and submissions
/// with their state. WAL mode: every committed write survives a kill -9 of this process.
/// </summary>
internal sealed class ServerDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS accounts (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            customer_id TEXT,
            subscription_id TEXT,
            plan_id TEXT NOT NULL,
            checkout_url TEXT,
            created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS submissions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            token TEXT NOT NULL UNIQUE,
            account_id TEXT NOT NULL,
            status_id INTEGER NOT NULL,
            input_json TEXT NOT NULL,
            outcome_json TEXT,
            ticket_json TEXT,
            billing TEXT NOT NULL,
            charge_nanos INTEGER,
            created_at TEXT NOT NULL,
            finished_at TEXT);
        CREATE INDEX IF NOT EXISTS submissions_by_account ON submissions (account_id, seq);
        CREATE INDEX IF NOT EXISTS submissions_unfinished ON submissions (status_id, billing);
        """;

    private readonly string _connectionString;

    public ServerDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public void Initialize()
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = Schema;
        command.ExecuteNonQuery();
    }

    /// <summary>An open connection; busy waits up to 30 s rather than failing when another writer holds the lock.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using SqliteCommand pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
