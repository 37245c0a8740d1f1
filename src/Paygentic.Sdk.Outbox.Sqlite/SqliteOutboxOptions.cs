namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>Settings of the SQLite outbox.</summary>
public sealed class SqliteOutboxOptions
{
    /// <summary>The database file (created when absent, with its directory). Required.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Whether each commit is flushed to disk (<c>synchronous=FULL</c>), surviving power loss as well as process
    /// crashes. Off uses <c>synchronous=NORMAL</c>, which in WAL mode survives a process crash but may lose the last
    /// commits on power loss. Default on.
    /// </summary>
    public bool FlushEachCommit { get; set; } = true;

    /// <summary>
    /// Whether this process holds the file exclusively while open, so a second process cannot deliver the same
    /// reports at the same time (it fails to start instead). Default on.
    /// </summary>
    public bool ExclusiveAccess { get; set; } = true;

    /// <summary>How long opening waits for another process to release the file. Default 5 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most writes committed together in one transaction (group commit). Default 512.</summary>
    public int MaxWritesPerCommit { get; set; } = 512;
}
