namespace CodeRunner.Hosting;

/// <summary>
/// Where the metering outbox lives: the path given with <c>--outbox</c> (kept), or a file in a per-run temporary
/// directory that is removed on every exit path — success, failure, exception, Ctrl+C — unless the run ended with
/// reports for an external server still undelivered (<see cref="Keep"/>), which a rerun with <c>--outbox</c> delivers.
/// </summary>
internal sealed class OutboxLocation : IDisposable
{
    private readonly string? _temporaryDirectory;

    private OutboxLocation(string path, string? temporaryDirectory)
    {
        Path = path;
        _temporaryDirectory = temporaryDirectory;
    }

    public string Path { get; }

    /// <summary>Whether the temporary outbox survives the run (false unless the run says it must).</summary>
    public bool Keep { get; set; }

    /// <summary>Whether the outbox is a per-run temporary file (no <c>--outbox</c>).</summary>
    public bool IsTemporary => _temporaryDirectory is not null;

    public static OutboxLocation For(string? givenPath, string runId)
    {
        if (givenPath is not null)
        {
            string full = System.IO.Path.GetFullPath(givenPath);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            return new OutboxLocation(full, temporaryDirectory: null);
        }

        string directory = Directory.CreateTempSubdirectory($"coderunner-{runId}-").FullName;
        return new OutboxLocation(System.IO.Path.Combine(directory, "outbox.db"), directory);
    }

    public void Dispose()
    {
        if (_temporaryDirectory is null || Keep)
        {
            return;
        }

        try
        {
            // SQLite's connection pool may still hold the file open; on Linux it can be unlinked all the same.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_temporaryDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: could not remove the temporary outbox directory {_temporaryDirectory}: {ex.Message}");
        }
    }
}
