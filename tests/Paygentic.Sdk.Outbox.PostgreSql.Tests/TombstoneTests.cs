using Microsoft.Extensions.Time.Testing;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;
using static Paygentic.Sdk.Outbox.PostgreSql.Tests.EntryTableTests;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

public sealed class TombstoneTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    private static StoredTombstone Tombstone(string id, DateTimeOffset at, long units = 1) => new()
    {
        OperationId = id,
        IdempotencyKey = id + ":usage",
        Quantities = new Dictionary<string, long> { ["units"] = units },
        DeliveredAt = at,
    };

    [PostgresFact]
    public async Task Tombstones_are_found_by_operation_id_and_the_first_one_is_kept()
    {
        var store = await db.StartStoreAsync();
        var id = Id();
        var at = DateTimeOffset.UtcNow;

        (await store.Tombstones.AddAsync([Tombstone(id, at, 5)], default)).Should().Be(1);
        (await store.Tombstones.AddAsync([Tombstone(id, at, 9)], default)).Should().Be(0);

        (await store.Tombstones.FindAsync(id, default))!.Quantities["units"].Should().Be(5);
        (await store.Tombstones.FindAsync(Id(), default)).Should().BeNull();
    }

    [PostgresFact]
    public async Task A_tombstone_written_by_one_replica_is_visible_to_another()
    {
        var a = await db.StartStoreAsync();
        var b = await db.StartStoreAsync();
        var id = Id();

        await a.Tombstones.AddAsync([Tombstone(id, DateTimeOffset.UtcNow)], default);

        (await b.Tombstones.FindAsync(id, default)).Should().NotBeNull();
    }

    [PostgresFact]
    public async Task Purge_deletes_tombstones_older_than_the_retention_and_keeps_the_rest()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await db.StartStoreAsync(schema: schema, time: time, configure: o => o.TombstoneRetention = TimeSpan.FromDays(7));
        var (old, recent) = (Id(), Id());
        await store.Tombstones.AddAsync([Tombstone(old, time.GetUtcNow() - TimeSpan.FromDays(8)), Tombstone(recent, time.GetUtcNow() - TimeSpan.FromDays(6))], default);

        (await store.Tombstones.PurgeAsync(default)).Should().Be(1);

        (await store.Tombstones.FindAsync(old, default)).Should().BeNull();
        (await store.Tombstones.FindAsync(recent, default)).Should().NotBeNull();
        time.Advance(TimeSpan.FromDays(2));
        (await store.Tombstones.PurgeAsync(default)).Should().Be(1);
        (await store.Tombstones.FindAsync(recent, default)).Should().BeNull();
    }
}
