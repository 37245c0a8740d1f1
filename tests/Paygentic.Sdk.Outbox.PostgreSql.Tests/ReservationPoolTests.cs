using Microsoft.Extensions.Time.Testing;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

public sealed class ReservationPoolTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    private static string Key() => "pool-" + Guid.NewGuid().ToString("N");

    private static StoredReservationPool Pool(string key, long uses, DateTimeOffset expires) =>
        new() { Key = key, ReservationId = "res-" + key, RemainingUses = uses, ExpiresAt = expires };

    [PostgresFact]
    public async Task A_pool_persists_across_stores_and_saving_again_replaces_it()
    {
        var writer = await db.StartStoreAsync();
        var key = Key();
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        await writer.ReservationPools.SaveAsync(Pool(key, 3, expires), default);
        await writer.DisposeAsync();

        var reader = await db.StartStoreAsync();
        var pool = await reader.ReservationPools.GetAsync(key, default);
        pool!.RemainingUses.Should().Be(3);
        pool.ReservationId.Should().Be("res-" + key);
        pool.ExpiresAt.Should().BeCloseTo(expires, TimeSpan.FromMilliseconds(1));

        await reader.ReservationPools.SaveAsync(Pool(key, 10, expires) with { ReservationId = "res-2" }, default);
        (await reader.ReservationPools.GetAsync(key, default))!.Should().BeEquivalentTo(Pool(key, 10, expires) with { ReservationId = "res-2" },
            o => o.Using<DateTimeOffset>(c => c.Subject.Should().BeCloseTo(c.Expectation, TimeSpan.FromMilliseconds(1))).WhenTypeIs<DateTimeOffset>());
        (await reader.ReservationPools.RemoveAsync(key, default)).Should().BeTrue();
        (await reader.ReservationPools.GetAsync(key, default)).Should().BeNull();
    }

    [PostgresFact]
    public async Task Taking_decrements_and_refuses_a_short_or_expired_pool_without_change()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await db.StartStoreAsync(time: time);
        var key = Key();
        await store.ReservationPools.SaveAsync(Pool(key, 3, time.GetUtcNow().AddMinutes(1)), default);

        (await store.ReservationPools.TryTakeAsync(key, 2, default))!.RemainingUses.Should().Be(1);
        (await store.ReservationPools.TryTakeAsync(key, 2, default)).Should().BeNull();
        (await store.ReservationPools.TryTakeAsync("missing", 1, default)).Should().BeNull();
        time.Advance(TimeSpan.FromMinutes(2));
        (await store.ReservationPools.TryTakeAsync(key, 1, default)).Should().BeNull();
        (await store.ReservationPools.GetAsync(key, default))!.RemainingUses.Should().Be(1);
    }

    [PostgresFact]
    public async Task Replicas_taking_concurrently_never_take_more_than_the_pool_holds()
    {
        var replicas = new[] { await db.StartStoreAsync(), await db.StartStoreAsync() };
        var key = Key();
        await replicas[0].ReservationPools.SaveAsync(Pool(key, 100, DateTimeOffset.UtcNow.AddHours(1)), default);
        var taken = 0;

        await Task.WhenAll(replicas.SelectMany(r => Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (await r.ReservationPools.TryTakeAsync(key, 1, default) is not null)
            {
                Interlocked.Increment(ref taken);
            }
        }))));

        taken.Should().Be(100);
        (await replicas[1].ReservationPools.GetAsync(key, default))!.RemainingUses.Should().Be(0);
    }

    [PostgresFact]
    public async Task Live_pools_exclude_expired_and_exhausted_ones_which_purge_deletes()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await db.StartStoreAsync(schema: schema, time: time);
        var (live, expired, empty) = (Key(), Key(), Key());
        await store.ReservationPools.SaveAsync(Pool(live, 1, time.GetUtcNow().AddHours(1)), default);
        await store.ReservationPools.SaveAsync(Pool(expired, 5, time.GetUtcNow().AddSeconds(-1)), default);
        await store.ReservationPools.SaveAsync(Pool(empty, 0, time.GetUtcNow().AddHours(1)), default);

        (await store.ReservationPools.LoadLiveAsync(default)).Select(p => p.Key).Should().Equal(live);
        (await store.ReservationPools.PurgeAsync(default)).Should().Be(2);
        (await store.ReservationPools.GetAsync(live, default)).Should().NotBeNull();
    }
}
