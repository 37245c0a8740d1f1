namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>Settings of the SQLite outbox.</summary>
public sealed class SqliteOutboxOptions
{
    /// <summary>The database file (created when absent, with its directory). Required.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Whether each commit waits for the disk to flush it (<c>synchronous=FULL</c>), so it survives power loss and an
    /// operating-system crash too. Default off: <c>synchronous=NORMAL</c> in WAL mode, where a commit survives the
    /// process being killed at any instant (the failure deploys, OOM kills and crashes cause) and the file is never
    /// corrupted, but the last commits before a power cut may be lost. A flush costs about a quarter of a millisecond
    /// per commit on a typical SSD, several times what the rest of a guarded operation costs; turn it on where the
    /// outbox sits on a disk that outlives the machine and losing the last moments of usage to a power cut matters.
    /// </summary>
    public bool FlushEachCommit { get; set; }

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
