using System.Globalization;
using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// Hands out one unprivileged uid per live job, unique on the whole host: each uid of the range has a lock file, and a
/// job holds that file's flock(2) for as long as it runs. Two runner processes (a service and a test run beside it)
/// therefore never give two live jobs the same uid — RLIMIT_NPROC counts every process of a uid, and a shared uid would
/// let one job read or signal another. A runner that dies drops its locks with its file descriptors.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class HostUidPool
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(50);

    private readonly string _lockDirectory;
    private readonly int _first;
    private readonly int _count;
    private readonly TimeProvider _timeProvider;
    private int _next;

    public HostUidPool(string lockDirectory, int first, int count, TimeProvider timeProvider)
    {
        _lockDirectory = lockDirectory;
        _first = first;
        _count = count;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates the lock directory (mode 700, ours) or checks that an existing one is ours and private.</summary>
    /// <exception cref="SandboxFailureException">It exists but is a symlink, not ours, or open to others.</exception>
    public void EnsureLockDirectory()
    {
        Directory.CreateDirectory(_lockDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var info = new DirectoryInfo(_lockDirectory);
        if (info.LinkTarget is not null || (info.UnixFileMode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new SandboxFailureException($"The uid lock directory {_lockDirectory} must be a private directory (mode 700), not a link.");
        }
    }

    /// <summary>Waits for a uid no live job on this host holds.</summary>
    public async Task<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            for (int tried = 0; tried < _count; tried++)
            {
                int uid = _first + (int)((uint)Interlocked.Increment(ref _next) % (uint)_count);
                int fd = NativeMethods.TryLockFile(Path.Combine(_lockDirectory, "uid-" + uid.ToString(CultureInfo.InvariantCulture) + ".lock"));
                if (fd >= 0)
                {
                    return new Lease(uid, fd);
                }
            }

            await Task.Delay(RetryInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A uid held for one job; dispose to release it.</summary>
    internal sealed class Lease(int uid, int fd) : IDisposable
    {
        private int _fd = fd;

        public int Uid { get; } = uid;

        public void Dispose()
        {
            int held = Interlocked.Exchange(ref _fd, -1);
            if (held >= 0)
            {
                _ = NativeMethods.Close(held);
            }
        }
    }
}
