using System.Runtime.InteropServices;

namespace CodeRunner.Sandbox.Internal;

/// <summary>libc calls .NET has no API for.</summary>
internal static partial class NativeMethods
{
    public const int SigKill = 9;

    private const int OpenReadWrite = 0x2;
    private const int OpenCreate = 0x40;
    private const int OpenCloseOnExec = 0x80000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;

    /// <summary>lchown(2): changes the owner of a path without following a final symlink.</summary>
    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LChown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    /// <summary>
    /// Opens (creating, mode 600) <paramref name="path"/> and takes an exclusive flock(2) on it without waiting.
    /// Returns the descriptor holding the lock, or -1 when another open file (of this or any process) holds it. The
    /// kernel drops the lock when the descriptor is closed or the process dies, however it dies.
    /// </summary>
    internal static int TryLockFile(string path)
    {
        int fd = Open(path, OpenReadWrite | OpenCreate | OpenCloseOnExec, Convert.ToInt32("600", 8));
        if (fd < 0)
        {
            throw new IOException($"open {path} failed (errno {Marshal.GetLastPInvokeError()}).");
        }

        if (Flock(fd, LockExclusive | LockNonBlocking) == 0)
        {
            return fd;
        }

        _ = Close(fd);
        return -1;
    }
}
