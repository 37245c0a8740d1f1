using System.Threading.Channels;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Group commit: concurrent writers enqueue requests; one loop hands everything queued so far (up to a maximum) to a
/// flush delegate as one batch, so writers share round trips and commits instead of each paying its own. While a
/// flush is in flight new requests accumulate, so batches grow exactly when writers are waiting. Knows nothing of
/// any database: the delegate decides what a batch means and answers each item.
/// </summary>
/// <typeparam name="TRequest">What a writer asks for.</typeparam>
/// <typeparam name="TResult">What a writer gets back.</typeparam>
internal sealed class GroupCommitQueue<TRequest, TResult> : IAsyncDisposable
{
    private readonly Channel<Item> _channel = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<Item>, CancellationToken, Task> _flush;
    private readonly int _maxBatch;
    private readonly int _maxInFlight;
    private readonly Task _loop;
    private long _flushes;
    private long _items;

    /// <param name="flush">Executes one batch and answers each item; items it leaves unanswered fail.</param>
    /// <param name="maxBatch">The most items in one batch.</param>
    /// <param name="maxInFlight">
    /// The most batches flushing at once (default one). Several let a database's own group commit merge their commits'
    /// log flushes; batches in flight together commit in no set order, which is safe because each writer waits for
    /// its own write before it writes again.
    /// </param>
    public GroupCommitQueue(Func<IReadOnlyList<Item>, CancellationToken, Task> flush, int maxBatch, int maxInFlight = 1)
    {
        ArgumentNullException.ThrowIfNull(flush);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _flush = flush;
        _maxBatch = maxBatch;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _maxInFlight = maxInFlight;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Batches flushed so far.</summary>
    public long FlushCount => Interlocked.Read(ref _flushes);

    /// <summary>Items flushed so far.</summary>
    public long ItemCount => Interlocked.Read(ref _items);

    /// <summary>
    /// Queues a request and waits for its batch. Cancelling before the batch is taken drops the request; cancelling
    /// later only stops the wait (the batch may still commit it, like any cancelled database call).
    /// </summary>
    public Task<TResult> EnqueueAsync(TRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new Item(request, cancellationToken);
        ObjectDisposedException.ThrowIf(!_channel.Writer.TryWrite(item), this);
        return item.Task;
    }

    /// <summary>Stops taking requests, flushes what is queued, then stops the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        // A slot is taken before the queue is drained: while every slot is busy, requests accumulate into the next batch.
        using var slots = new SemaphoreSlim(_maxInFlight, _maxInFlight);
        while (await _channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await slots.WaitAsync().ConfigureAwait(false);
            var batch = new List<Item>(Math.Min(_maxBatch, 64));
            while (batch.Count < _maxBatch && _channel.Reader.TryRead(out var item))
            {
                if (!item.Task.IsCompleted)
                {
                    batch.Add(item); // a writer that cancelled while queued is skipped
                }
            }

            if (batch.Count == 0)
            {
                slots.Release();
                continue;
            }

            _ = FlushAsync(batch, slots);
        }

        // Disposing waits for the batches still in flight.
        for (var i = 0; i < _maxInFlight; i++)
        {
            await slots.WaitAsync().ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(List<Item> batch, SemaphoreSlim slots)
    {
        try
        {
            // No writer's token cancels a batch other writers share; each writer's own wait is cancellable.
            await _flush(batch, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // every failure of the batch is handed to its writers, none may stop the loop
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var item in batch)
            {
                item.SetException(e);
            }
        }
        finally
        {
            foreach (var item in batch)
            {
                item.SetException(new InvalidOperationException("The group commit flush left a request unanswered."));
            }

            Interlocked.Increment(ref _flushes);
            Interlocked.Add(ref _items, batch.Count);
            slots.Release();
        }
    }

    /// <summary>One queued request and its writer's pending answer.</summary>
    internal sealed class Item
    {
        private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _registration;

        public Item(TRequest request, CancellationToken cancellationToken)
        {
            Request = request;
            if (cancellationToken.CanBeCanceled)
            {
                // Disposed once answered, so a long-lived token (an application's lifetime) does not collect registrations.
                _registration = cancellationToken.Register(static state => ((TaskCompletionSource<TResult>)state!).TrySetCanceled(), _completion);
            }
        }

        /// <summary>The request.</summary>
        public TRequest Request { get; }

        /// <summary>The writer's answer.</summary>
        public Task<TResult> Task => _completion.Task;

        /// <summary>Answers the writer (no effect once answered or cancelled).</summary>
        public void SetResult(TResult result)
        {
            if (_completion.TrySetResult(result))
            {
                _registration.Dispose();
            }
        }

        /// <summary>Fails the writer (no effect once answered or cancelled).</summary>
        public void SetException(Exception exception)
        {
            if (_completion.TrySetException(exception))
            {
                _registration.Dispose();
            }
        }
    }
}
