using System.Collections.Concurrent;
using System.Threading.Channels;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// Hands out one unprivileged uid per concurrent job. RLIMIT_NPROC counts every process of a uid, so two jobs sharing
/// a uid would share one process budget (and one job's fork bomb could starve the other).
/// </summary>
internal sealed class SandboxUidPool
{
    private static readonly ConcurrentDictionary<(int, int), SandboxUidPool> Pools = new();

    private readonly Channel<int> _free = Channel.CreateUnbounded<int>();

    private SandboxUidPool(int first, int count)
    {
        foreach (int uid in Enumerable.Range(first, count))
        {
            _free.Writer.TryWrite(uid);
        }
    }

    /// <summary>One pool per uid range per process, shared by every executor using that range.</summary>
    public static SandboxUidPool For(int first, int count) => Pools.GetOrAdd((first, count), key => new SandboxUidPool(key.Item1, key.Item2));

    /// <summary>Waits for a free uid (when more jobs run than the pool has uids).</summary>
    public async Task<Lease> AcquireAsync(CancellationToken cancellationToken) =>
        new(this, await _free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>A uid reserved for one job; dispose to give it back.</summary>
    internal sealed class Lease(SandboxUidPool pool, int uid) : IDisposable
    {
        private int _released;

        public int Uid { get; } = uid;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                pool._free.Writer.TryWrite(Uid);
            }
        }
    }
}
