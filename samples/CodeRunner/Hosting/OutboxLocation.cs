namespace CodeRunner.Hosting;

/// <summary>
/// Where the metering outbox lives: the path given with <c>--outbox</c> (kept), or a file in a per-run temporary
/// directory that is removed at the end unless it still holds undelivered reports (<see cref="Keep"/>).
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

    /// <summary>Whether the outbox survives the run; true until the run says everything was delivered.</summary>
    public bool Keep { get; set; } = true;

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
        if (_temporaryDirectory is not null && !Keep)
        {
            Directory.Delete(_temporaryDirectory, recursive: true);
        }
    }
}
