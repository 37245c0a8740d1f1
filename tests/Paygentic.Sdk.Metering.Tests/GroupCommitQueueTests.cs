using Paygentic.Sdk.Outbox.Sqlite;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>The SQLite outbox's group commit, without SQLite: batching, ordering, failure isolation, closing.</summary>
public sealed class GroupCommitQueueTests
{
    private sealed class Op(int value, bool poisoned = false) : GroupCommitItem
    {
        public int Value { get; } = value;

        public bool Poisoned { get; } = poisoned;
    }

    [Fact]
    public void A_lone_caller_commits_on_its_own_thread_and_gets_a_completed_task()
    {
        var commits = new List<(int Thread, int Count)>();
        var queue = new GroupCommitQueue<Op>(16, batch => commits.Add((Environment.CurrentManagedThreadId, batch.Count)), e => e);

        var task = queue.Submit(new Op(1));

        task.IsCompletedSuccessfully.Should().BeTrue("the caller that finds the queue idle commits before returning");
        commits.Should().Equal((Environment.CurrentManagedThreadId, 1));
    }

    [Fact]
    public void While_others_write_too_a_commit_waits_its_turn_on_the_pool_and_takes_the_writes_queued_meanwhile()
    {
        var scheduled = new Queue<IThreadPoolWorkItem>();
        var batches = new List<int[]>();
        GroupCommitQueue<Op>? queue = null;
        var during = new List<Task>();
        queue = new GroupCommitQueue<Op>(100, batch =>
        {
            batches.Add([.. batch.Select(o => o.Value)]);
            if (batch[0].Value == 0)
            {
                // Two writers arrive while the first commit runs: they are committed together, on the pool.
                during.Add(queue!.Submit(new Op(1)));
                during.Add(queue.Submit(new Op(2)));
            }
        }, e => e, scheduled.Enqueue);

        queue.Submit(new Op(0)).IsCompletedSuccessfully.Should().BeTrue("a lone caller commits at once, on its own thread");
        scheduled.Should().ContainSingle("the writes queued during that commit are left to the pool");
        scheduled.Dequeue().Execute();
        during.Should().OnlyContain(t => t.IsCompletedSuccessfully);

        // The last commit held two operations: the next writer does not commit at once, and the one after it joins it.
        var third = queue.Submit(new Op(3));
        var fourth = queue.Submit(new Op(4));
        third.IsCompleted.Should().BeFalse("others are writing: the commit is queued behind the work already runnable");
        fourth.IsCompleted.Should().BeFalse();
        scheduled.Should().ContainSingle();
        scheduled.Dequeue().Execute();
        third.IsCompletedSuccessfully.Should().BeTrue();
        fourth.IsCompletedSuccessfully.Should().BeTrue();

        // Alone again: one deferred commit of one operation, then back to committing on the caller's thread.
        var fifth = queue.Submit(new Op(5));
        scheduled.Dequeue().Execute();
        fifth.IsCompletedSuccessfully.Should().BeTrue();
        queue.Submit(new Op(6)).IsCompletedSuccessfully.Should().BeTrue();
        scheduled.Should().BeEmpty();

        batches.Should().BeEquivalentTo(new[] { new[] { 0 }, [1, 2], [3, 4], [5], [6] }, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Closing_while_a_commit_waits_its_turn_on_the_pool_commits_everything_once_and_schedules_nothing_more()
    {
        var scheduled = new Queue<IThreadPoolWorkItem>();
        var committed = new List<int>();
        GroupCommitQueue<Op>? queue = null;
        queue = new GroupCommitQueue<Op>(100, batch =>
        {
            committed.AddRange(batch.Select(o => o.Value));
            if (batch[0].Value == 0)
            {
                queue!.Submit(new Op(1));
                queue.Submit(new Op(2));
            }
        }, e => e, scheduled.Enqueue);
        await queue.Submit(new Op(0));
        scheduled.Dequeue().Execute();
        var waiting = queue.Submit(new Op(3));
        scheduled.Should().ContainSingle("the last commit held two: this one waits its turn on the pool");

        var closing = queue.CloseAsync().AsTask();
        closing.IsCompleted.Should().BeFalse("closing waits for the commit turn that is scheduled");
        scheduled.Dequeue().Execute();
        await closing.WaitAsync(TimeSpan.FromSeconds(10));

        waiting.IsCompletedSuccessfully.Should().BeTrue();
        committed.Should().Equal(0, 1, 2, 3);
        scheduled.Should().BeEmpty();
        Action late = () => queue.Submit(new Op(4));
        late.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task Callers_that_arrive_during_a_commit_share_the_next_one_and_none_is_lost()
    {
        using var inCommit = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var committed = new List<int>();
        var batches = new List<int>();
        var queue = new GroupCommitQueue<Op>(100, batch =>
        {
            if (batch[0].Value == 0)
            {
                inCommit.Set();
                release.Wait();
            }

            lock (committed)
            {
                committed.AddRange(batch.Select(o => o.Value));
                batches.Add(batch.Count);
            }
        }, e => e);

        var first = Task.Run(() => queue.Submit(new Op(0)));
        inCommit.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        var waiting = Enumerable.Range(1, 50).Select(i => queue.Submit(new Op(i))).ToList();
        waiting.Should().OnlyContain(t => !t.IsCompleted, "a commit is in progress: they wait for the next one");
        release.Set();

        await Task.WhenAll(waiting.Append(first)).WaitAsync(TimeSpan.FromSeconds(10));
        committed.Should().BeEquivalentTo(Enumerable.Range(0, 51));
        batches.Should().Equal(1, 50);
    }

    [Fact]
    public async Task Sixteen_writers_lose_nothing_and_share_commits()
    {
        var committed = 0;
        var queue = new GroupCommitQueue<Op>(512, batch => Interlocked.Add(ref committed, batch.Count), e => e);

        var writers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 2000; i++)
            {
                await queue.Submit(new Op(i));
            }
        }));
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));

        committed.Should().Be(32_000);
        queue.Commits.Should().BeLessThanOrEqualTo(32_000);
    }

    [Fact]
    public async Task A_failing_operation_fails_only_its_own_caller()
    {
        using var inCommit = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var queue = new GroupCommitQueue<Op>(100, batch =>
        {
            if (batch[0].Value == 0)
            {
                inCommit.Set();
                release.Wait();
            }

            if (batch.Any(o => o.Poisoned))
            {
                throw new IOException("disk says no");
            }
        }, e => new UsageOutboxException("wrapped", e));

        var first = Task.Run(() => queue.Submit(new Op(0)));
        inCommit.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        var good = queue.Submit(new Op(1));
        var bad = queue.Submit(new Op(2, poisoned: true));
        var alsoGood = queue.Submit(new Op(3));
        release.Set();
        await first;

        await good.WaitAsync(TimeSpan.FromSeconds(10));
        await alsoGood.WaitAsync(TimeSpan.FromSeconds(10));
        (await bad.Invoking(t => t.WaitAsync(TimeSpan.FromSeconds(10))).Should().ThrowAsync<UsageOutboxException>()).Which.InnerException.Should().BeOfType<IOException>();
    }

    [Fact]
    public async Task A_batch_never_exceeds_the_limit()
    {
        using var inCommit = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var sizes = new List<int>();
        var queue = new GroupCommitQueue<Op>(7, batch =>
        {
            if (batch[0].Value == 0)
            {
                inCommit.Set();
                release.Wait();
            }

            lock (sizes)
            {
                sizes.Add(batch.Count);
            }
        }, e => e);

        var first = Task.Run(() => queue.Submit(new Op(0)));
        inCommit.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();
        var rest = Enumerable.Range(1, 30).Select(i => queue.Submit(new Op(i))).ToList();
        release.Set();
        await Task.WhenAll(rest.Append(first)).WaitAsync(TimeSpan.FromSeconds(10));

        sizes.Should().OnlyContain(s => s <= 7);
        sizes.Sum().Should().Be(31);
    }

    [Fact]
    public async Task Closing_commits_what_was_queued_and_refuses_what_comes_after()
    {
        var committed = 0;
        var queue = new GroupCommitQueue<Op>(16, batch => committed += batch.Count, e => e);
        await queue.Submit(new Op(1));

        await queue.CloseAsync();

        committed.Should().Be(1);
        Action late = () => queue.Submit(new Op(2));
        late.Should().Throw<ObjectDisposedException>();
    }
}
