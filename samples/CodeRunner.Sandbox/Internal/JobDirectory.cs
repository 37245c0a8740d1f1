using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// The private directories of one job:
/// <list type="bullet">
/// <item><c>Root</c> (ours, mode 711 when a uid is dropped to, else 700): holds the meter's reports, which the program
/// can neither list nor touch, only traverse.</item>
/// <item><c>Box</c> (mode 700, owned by the sandbox uid): the program's working directory, HOME and TMPDIR.</item>
/// </list>
/// Both are removed on dispose, whatever happened.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class JobDirectory : IDisposable
{
    private JobDirectory(string root)
    {
        Root = root;
        Box = Path.Combine(root, "box");
    }

    public string Root { get; }

    public string Box { get; }

    public static JobDirectory Create(string workRoot, int? sandboxUid)
    {
        string root = Path.Combine(workRoot, "coderunner-job-" + Guid.NewGuid().ToString("N"));
        if (Directory.Exists(root))
        {
            throw new SandboxFailureException($"Job directory {root} already exists.");
        }

        var job = new JobDirectory(root);
        try
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(job.Box, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (sandboxUid is int uid)
            {
                // The sandbox uid must reach its box through our root directory: search (x) but not read (r).
                File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                GiveToSandbox(job.Box, uid);
            }

            return job;
        }
        catch
        {
            job.Dispose();
            throw;
        }
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

    public string MetaPath(string step) => Path.Combine(Root, step + ".meta");

    public void Dispose()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            // Without root, a program may have made a subdirectory unreadable (chmod 000); give it back and retry.
            MakeWritable(Root);
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            MakeWritable(Root);
            Directory.Delete(Root, recursive: true);
        }
    }

    private static void MakeWritable(string directory)
    {
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (string child in Directory.EnumerateDirectories(directory))
        {
            if (!new DirectoryInfo(child).Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                MakeWritable(child);
            }
        }
    }

    private static void GiveToSandbox(string path, int uid)
    {
        if (NativeMethods.LChown(path, (uint)uid, (uint)uid) != 0)
        {
            throw new SandboxFailureException($"lchown {path} to {uid} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }
}
