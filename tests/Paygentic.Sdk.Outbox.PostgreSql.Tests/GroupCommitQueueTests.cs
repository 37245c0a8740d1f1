namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

/// <summary>The group-commit queue alone: no database. A gate holds the first flush so batching is deterministic.</summary>
public sealed class GroupCommitQueueTests
{
    private sealed class GatedFlush
    {
        public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<List<int>> Batches { get; } = [];

        public async Task FlushAsync(IReadOnlyList<GroupCommitQueue<int, int>.Item> items, CancellationToken cancellationToken)
        {
            lock (Batches)
            {
                Batches.Add(items.Select(i => i.Request).ToList());
            }

            FirstStarted.TrySetResult();
            await Gate.Task;
            foreach (var item in items)
            {
                item.SetResult(item.Request * 10);
            }
        }
    }

    [Fact]
    public async Task With_two_in_flight_a_second_batch_flushes_while_the_first_is_held_and_a_third_waits_for_a_slot()
    {
        var flush = new GatedFlush();
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var queue = new GroupCommitQueue<int, int>(
            async (items, token) =>
            {
                if (items[0].Request == 1)
                {
                    secondStarted.TrySetResult();
                }

                await flush.FlushAsync(items, token);
            },
            maxBatch: 100,
            maxInFlight: 2);

        var first = queue.EnqueueAsync(0, default);
        await flush.FirstStarted.Task;
        var second = queue.EnqueueAsync(1, default);
        await secondStarted.Task; // flushing although the first batch has not finished

        // Both slots are held: these wait and then share one batch.
        var rest = Enumerable.Range(2, 10).Select(i => queue.EnqueueAsync(i, default)).ToList();
        flush.Gate.SetResult();

        (await Task.WhenAll([first, second, .. rest])).Should().Equal(Enumerable.Range(0, 12).Select(i => i * 10));
        flush.Batches.Should().HaveCount(3);
        flush.Batches[2].Should().Equal(Enumerable.Range(2, 10));
    }

    [Fact]
    public async Task Requests_queued_while_a_flush_runs_share_the_next_batch()
    {
        var flush = new GatedFlush();
        await using var queue = new GroupCommitQueue<int, int>(flush.FlushAsync, maxBatch: 100);

        var first = queue.EnqueueAsync(0, default);
        await flush.FirstStarted.Task;
        var rest = Enumerable.Range(1, 15).Select(i => queue.EnqueueAsync(i, default)).ToList();
        flush.Gate.SetResult();

        (await first).Should().Be(0);
        (await Task.WhenAll(rest)).Should().Equal(Enumerable.Range(1, 15).Select(i => i * 10));
        flush.Batches.Should().HaveCount(2);
        flush.Batches[1].Should().Equal(Enumerable.Range(1, 15));
        queue.FlushCount.Should().Be(2);
        queue.ItemCount.Should().Be(16);
    }

    [Fact]
    public async Task A_batch_never_exceeds_the_maximum()
    {
        var flush = new GatedFlush();
        await using var queue = new GroupCommitQueue<int, int>(flush.FlushAsync, maxBatch: 4);
        var first = queue.EnqueueAsync(0, default);
        await flush.FirstStarted.Task;
        var rest = Enumerable.Range(1, 10).Select(i => queue.EnqueueAsync(i, default)).ToList();
        flush.Gate.SetResult();

        await first;
        await Task.WhenAll(rest);

        flush.Batches.Skip(1).Select(b => b.Count).Should().Equal(4, 4, 2);
    }

    [Fact]
    public async Task A_failing_flush_fails_every_writer_in_its_batch_and_the_queue_goes_on()
    {
        var calls = 0;
        await using var queue = new GroupCommitQueue<int, int>(
            (items, _) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    throw new InvalidOperationException("disk on fire");
                }

                foreach (var item in items)
                {
                    item.SetResult(item.Request);
                }

                return Task.CompletedTask;
            },
            maxBatch: 10);

        var failed = () => queue.EnqueueAsync(1, default);
        await failed.Should().ThrowAsync<InvalidOperationException>().WithMessage("disk on fire");
        (await queue.EnqueueAsync(2, default)).Should().Be(2);
    }

    [Fact]
    public async Task A_request_the_flush_leaves_unanswered_fails_instead_of_hanging()
    {
        await using var queue = new GroupCommitQueue<int, int>((_, _) => Task.CompletedTask, maxBatch: 10);

        var unanswered = () => queue.EnqueueAsync(1, default);

        await unanswered.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task A_writer_cancelled_while_queued_is_dropped_from_the_batch()
    {
        var flush = new GatedFlush();
        await using var queue = new GroupCommitQueue<int, int>(flush.FlushAsync, maxBatch: 10);
        var first = queue.EnqueueAsync(0, default);
        await flush.FirstStarted.Task;
        using var cancel = new CancellationTokenSource();
        var dropped = queue.EnqueueAsync(1, cancel.Token);
        var kept = queue.EnqueueAsync(2, default);

        await cancel.CancelAsync();
        flush.Gate.SetResult();

        await first;
        (await kept).Should().Be(20);
        var awaitDropped = () => dropped;
        await awaitDropped.Should().ThrowAsync<OperationCanceledException>();
        flush.Batches[1].Should().Equal(2);
    }

    [Fact]
    public async Task Dispose_flushes_what_is_queued_then_refuses_new_requests()
    {
        var flush = new GatedFlush();
        var queue = new GroupCommitQueue<int, int>(flush.FlushAsync, maxBatch: 10);
        var first = queue.EnqueueAsync(0, default);
        await flush.FirstStarted.Task;
        var queued = queue.EnqueueAsync(7, default);
        var disposing = queue.DisposeAsync();
        flush.Gate.SetResult();
        await disposing;

        (await first).Should().Be(0);
        (await queued).Should().Be(70);
        Action late = () => queue.EnqueueAsync(1, default);
        late.Should().Throw<ObjectDisposedException>();
    }
}
