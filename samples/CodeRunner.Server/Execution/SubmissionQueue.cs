using System.Threading.Channels;

namespace CodeRunner.Server.Execution;

/// <summary>
/// The bounded queue in front of the workers, with Judge0's <c>MAX_QUEUE_SIZE</c> semantics: a request whose
/// submissions would take the number waiting past the maximum is refused whole (503). Slots are reserved before the
/// user is charged anything, so a refusal costs nothing. The database is the truth; the channel only carries tokens.
/// </summary>
internal sealed class SubmissionQueue(int maxQueueSize)
{
    private readonly Channel<string> _tokens = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = false });
    private int _waiting;

    public int MaxQueueSize => maxQueueSize;

    public int Waiting => Volatile.Read(ref _waiting);

    public ChannelReader<string> Reader => _tokens.Reader;

    /// <summary>Reserves <paramref name="count"/> places; false when they would exceed the maximum.</summary>
    public bool TryReserve(int count)
    {
        while (true)
        {
            int current = Volatile.Read(ref _waiting);
            if (current + count > maxQueueSize)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _waiting, current + count, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back places reserved for submissions that were not accepted.</summary>
    public void Release(int count) => Interlocked.Add(ref _waiting, -count);

    /// <summary>Queues a token whose place was reserved.</summary>
    public void Enqueue(string token) => _tokens.Writer.TryWrite(token);

    /// <summary>Queues a token recovered after a restart: it was accepted before, so it is never refused now.</summary>
    public void EnqueueRecovered(string token)
    {
        Interlocked.Increment(ref _waiting);
        _tokens.Writer.TryWrite(token);
    }

    /// <summary>Called by a worker when it takes a token: the place is free again.</summary>
    public void Dequeued() => Interlocked.Decrement(ref _waiting);
}
