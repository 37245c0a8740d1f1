using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// The private directories of one job on the host:
/// <list type="bullet">
/// <item><c>Root</c> (ours; mode 711 when the job runs as another uid, else 700): holds the meter's reports, which the
/// job never sees (under bubblewrap only the box is bound into its root).</item>
/// <item><c>Box</c> (mode 700, owned by the job's uid): the source, and what the compiler writes.</item>
/// </list>
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class JobDirectory
{
    private JobDirectory(string root)
    {
        Root = root;
        Box = Path.Combine(root, "box");
    }

    public string Root { get; }

    public string Box { get; }

    /// <summary>A name unique to this job (used for its cgroups too).</summary>
    public string Name => Path.GetFileName(Root);

    /// <param name="workRoot">Where the directory is made.</param>
    /// <param name="sandboxUid">The job's uid, or null when jobs run as ours.</param>
    /// <param name="kind">"job", or "probe" for the start-up check (so the two are told apart on disk).</param>
    public static JobDirectory Create(string workRoot, int? sandboxUid, string kind = "job")
    {
        var job = new JobDirectory(Path.Combine(workRoot, $"coderunner-{kind}-{Guid.NewGuid():N}"));
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(job.Root, Private);
        Directory.CreateDirectory(job.Box, Private);
        if (sandboxUid is int uid)
        {
            // The job's uid must reach its box through our root directory (bubblewrap binds it as that uid): search (x)
            // but not read (r).
            File.SetUnixFileMode(job.Root, Private | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            GiveToSandbox(job.Box, uid);
        }

        return job;
    }

    /// <summary>Writes a file into the box (e.g. the source) and hands it to the sandbox uid.</summary>
    public string WriteBoxFile(string fileName, string content, int? sandboxUid)
    {
        string path = Path.Combine(Box, fileName);
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        if (sandboxUid is int uid)
        {
            GiveToSandbox(path, uid);
        }

        return path;
    }

    public string ReportPath(string step) => Path.Combine(Root, step + ".meter");

    /// <summary>
    /// Removes the whole job directory. rm(1) walks the tree with unlinkat relative to each directory, so a tree deeper
    /// than PATH_MAX goes too (a recursive delete by full paths fails there); a directory the job made unreadable is
    /// given back to us first when we are not root.
    /// </summary>
    /// <returns>Null when the directory is gone, else why not.</returns>
    public async Task<string?> RemoveAsync()
    {
        string? failure = null;
        foreach (string[] command in new[]
        {
            new[] { "rm", "-rf", "--one-file-system", "--", Root },
            ["chmod", "-R", "u+rwX", "--", Root],
            ["rm", "-rf", "--one-file-system", "--", Root],
        })
        {
            if (!Directory.Exists(Root))
            {
                return null;
            }

            string? tool = Toolchain.Find(command[0]);
            if (tool is null)
            {
                return $"{command[0]} not found";
            }

            ToolResult result = await Toolchain.RunAsync([tool, .. command[1..]], TimeSpan.FromSeconds(60), CancellationToken.None).ConfigureAwait(false);
            failure = result.Stderr.Trim();
        }

        return Directory.Exists(Root) ? $"could not remove {Root}: {failure}" : null;
    }

    private static void GiveToSandbox(string path, int uid)
    {
        if (NativeMethods.LChown(path, (uint)uid, (uint)uid) != 0)
        {
            throw new SandboxFailureException($"lchown {path} to {uid} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }
}
