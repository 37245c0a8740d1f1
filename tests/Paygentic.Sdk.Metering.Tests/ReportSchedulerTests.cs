using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>
/// The reporter's scheduler driven step by step on a fake clock, synchronously: the test plays the sender (reads the
/// channels, fails some sends, settles the rest), so every interleaving is the same on every run. No sleeps.
/// </summary>
public sealed class ReportSchedulerTests
{
    private static readonly DateTimeOffset Start = new(2026, 4, 18, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Twenty_thousand_steps_send_every_report_exactly_when_due_through_a_small_queue()
    {
        var time = new FakeTimeProvider(Start);
        var options = new MeteringOptions { QueueCapacity = 8, RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(30) };
        var pending = new ConcurrentDictionary<string, ReportItem>(StringComparer.Ordinal);
        var scheduler = new ReportScheduler(pending, options, time);
        var step = TimeSpan.FromMilliseconds(50);
        var interval = TimeSpan.FromSeconds(1);
        var nextScan = Start;

        // 600 reports, half legacy, half events; each fails a number of times (0-3) that depends on its id, and a new
        // report arrives every 20 steps while the backlog drains.
        var failuresLeft = new Dictionary<string, int>();
        var sends = new Dictionary<string, List<DateTimeOffset>>();
        var created = 0;
        void Complete()
        {
            var id = $"op-{created}";
            var entry = GuardTests.PendingEntry(id, time.GetUtcNow(), created % 2 == 0 ? MeteringStrategy.Legacy : MeteringStrategy.Standard);
            failuresLeft[id] = created % 4;
            sends[id] = [];
            var item = new ReportItem(entry) { DueAt = time.GetUtcNow() };
            pending[id] = item;
            scheduler.TrySchedule(item);
            created++;
        }

        for (var i = 0; i < 300; i++)
        {
            Complete();
        }

        for (var n = 0; n < 20_000; n++)
        {
            var now = time.GetUtcNow();
            if (n % 20 == 0 && created < 600)
            {
                Complete();
            }

            if (scheduler.Step(now, scan: now >= nextScan))
            {
                nextScan = now + interval;
            }

            // The senders: read a few reports per step (a slow server), so the channels stay full and refills matter.
            foreach (var channel in new[] { scheduler.LegacyReady, scheduler.EventReady })
            {
                for (var read = 0; read < 3 && channel.Reader.TryRead(out var item); read++)
                {
                    if (!item.TryTake())
                    {
                        continue;
                    }

                    var id = item.Entry.OperationId;
                    item.DueAt.Should().BeOnOrBefore(now, "a report is never sent before it is due");
                    sends[id].Add(now);
                    if (failuresLeft[id]-- > 0)
                    {
                        var attempts = item.Entry.Attempts + 1;
                        item.Entry = item.Entry with { Attempts = attempts };
                        item.DueAt = now + scheduler.Backoff(id, attempts);
                        item.Retry();
                    }
                    else
                    {
                        pending.TryRemove(id, out _);
                        item.Finish();
                    }
                }

                scheduler.RoomFreed();
            }

            // Every due, idle report is in a channel or an overflow queue, or found by the next scan.
            time.Advance(step);
        }

        pending.Should().BeEmpty("every report was delivered within the run");
        created.Should().Be(600);
        foreach (var (id, times) in sends)
        {
            var expectedFailures = int.Parse(id[3..], System.Globalization.CultureInfo.InvariantCulture) % 4;
            times.Should().HaveCount(expectedFailures + 1, $"{id} is sent once per attempt, never twice for one");
            for (var attempt = 1; attempt < times.Count; attempt++)
            {
                (times[attempt] - times[attempt - 1]).Should().BeGreaterThanOrEqualTo(scheduler.Backoff(id, attempt), $"{id} waits out its backoff");
            }
        }
    }

    [Fact]
    public void Backoff_doubles_with_bounded_deterministic_jitter_up_to_the_cap()
    {
        var options = new MeteringOptions { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(60) };
        var scheduler = new ReportScheduler(new ConcurrentDictionary<string, ReportItem>(), options, new FakeTimeProvider(Start));
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var raw = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempt - 1), 60));
            var delay = scheduler.Backoff("op-x", attempt);
            delay.Should().BeGreaterThanOrEqualTo(raw).And.BeLessThanOrEqualTo(raw * 1.2);
            scheduler.Backoff("op-x", attempt).Should().Be(delay, "the jitter has no random source");
        }
    }
}
