using Xunit.Abstractions;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;
using static Paygentic.Sdk.Outbox.PostgreSql.Tests.EntryTableTests;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

public sealed class GroupCommitTests(SchemaFixture db, ITestOutputHelper output) : IClassFixture<SchemaFixture>
{
    [PostgresFact]
    public async Task Sixteen_concurrent_writers_share_batches_and_every_write_lands()
    {
        var store = await db.StartStoreAsync();
        var (writesBefore, batchesBefore) = store.WriteStatistics;
        var ids = Enumerable.Range(0, 16).Select(_ => Enumerable.Range(0, 100).Select(_ => Id()).ToList()).ToList();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = await Task.WhenAll(ids.Select(mine => Task.Run(async () =>
        {
            var added = 0;
            foreach (var id in mine)
            {
                // Each writer waits for its own write before the next, as a guard's caller does.
                added += await store.Entries.TryAddAsync(id, StoredEntryState.Authorized, "{}", default) ? 1 : 0;
                await store.Entries.UpsertAsync([Entry(id, StoredEntryState.Pending)], default);
            }

            return added;
        })));

        clock.Stop();
        results.Should().AllSatisfy(added => added.Should().Be(100));
        (await db.ScalarAsync<long>("SELECT count(*) FROM {s}.entries WHERE state = 'pending' AND owner_instance_id = $1", store.InstanceId))
            .Should().Be(1600);
        var (writes, batches) = store.WriteStatistics;
        (writes - writesBefore).Should().Be(3200);
        (batches - batchesBefore).Should().BeLessThan(3200, "concurrent writers share round trips");
        output.WriteLine($"pg_group_commit: writers=16 writes={writes - writesBefore} batches={batches - batchesBefore} writes_per_s={(writes - writesBefore) / clock.Elapsed.TotalSeconds:F0}");
    }
}
