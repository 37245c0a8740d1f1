using System.Collections.Concurrent;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;
using static Paygentic.Sdk.Outbox.PostgreSql.Tests.EntryTableTests;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

public sealed class DeliveryClaimTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    [PostgresFact]
    public async Task A_claim_takes_own_pending_reports_oldest_first_and_only_once()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await db.StartStoreAsync(schema: schema, time: time);
        var pending = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            pending.Add(Id());
            await store.Entries.TryAddAsync(pending[^1], StoredEntryState.Pending, "{}", default);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await store.Entries.UpsertAsync([Entry(Id(), StoredEntryState.Authorized), Entry(Id(), StoredEntryState.DeadLettered)], default);

        var first = await store.Claims.ClaimAsync(3, default);
        var second = await store.Claims.ClaimAsync(10, default);

        first.Select(e => e.OperationId).Should().Equal(pending.Take(3));
        first.Should().AllSatisfy(e => e.ClaimedBy.Should().Be(store.InstanceId));
        second.Select(e => e.OperationId).Should().Equal(pending.Skip(3));
        (await store.Claims.ClaimAsync(10, default)).Should().BeEmpty();
    }

    [PostgresFact]
    public async Task Two_replicas_claiming_concurrently_get_disjoint_batches_covering_everything()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var dead = await db.StartStoreAsync(schema: schema);
        var all = Enumerable.Range(0, 300).Select(_ => Id()).ToList();
        await dead.Entries.UpsertAsync(all.Select(id => Entry(id, StoredEntryState.Pending)).ToList(), default);
        await db.ExpireLeaseAsync(dead.InstanceId, schema);
        var replicas = new[] { await db.StartStoreAsync(schema: schema), await db.StartStoreAsync(schema: schema) };
        var claimed = new ConcurrentBag<(string Replica, string Id)>();
        foreach (var replica in replicas)
        {
            // One batch each first, so both replicas provably take part before they race.
            foreach (var e in await replica.Claims.ClaimAsync(7, default))
            {
                claimed.Add((replica.InstanceId, e.OperationId));
            }
        }

        await Task.WhenAll(replicas.SelectMany(r => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while ((await r.Claims.ClaimAsync(7, default)) is { Count: > 0 } batch)
            {
                foreach (var e in batch)
                {
                    claimed.Add((r.InstanceId, e.OperationId));
                }
            }
        }))));

        claimed.Select(c => c.Id).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(all);
        claimed.Select(c => c.Replica).Distinct().Should().HaveCount(2);
    }

    [PostgresFact]
    public async Task A_live_replicas_reports_are_not_claimable_by_another()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var owner = await db.StartStoreAsync(schema: schema);
        var other = await db.StartStoreAsync(schema: schema);
        await owner.Entries.TryAddAsync(Id(), StoredEntryState.Pending, "{}", default);

        (await other.Claims.ClaimAsync(10, default)).Should().BeEmpty();
        (await owner.Claims.ClaimAsync(10, default)).Should().ContainSingle();
    }

    [PostgresFact]
    public async Task A_lapsed_claim_returns_the_rows_and_a_released_claim_frees_them_at_once()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var dead = await db.StartStoreAsync(schema: schema);
        var ids = new[] { Id(), Id() };
        await dead.Entries.UpsertAsync(ids.Select(id => Entry(id, StoredEntryState.Pending)).ToList(), default);
        await db.ExpireLeaseAsync(dead.InstanceId, schema);
        var a = await db.StartStoreAsync(schema: schema);
        var b = await db.StartStoreAsync(schema: schema);

        (await a.Claims.ClaimAsync(10, default)).Should().HaveCount(2);
        (await b.Claims.ClaimAsync(10, default)).Should().BeEmpty();

        await db.ExecuteInAsync(schema, "UPDATE {s}.entries SET claimed_until = now() - interval '1 second' WHERE operation_id = $1", ids[0]);
        (await b.Claims.ClaimAsync(10, default)).Select(e => e.OperationId).Should().Equal(ids[0]);

        (await b.Claims.ReleaseAsync([ids[1]], default)).Should().Be(0, "only the claimer releases its claim");
        (await a.Claims.ReleaseAsync([ids[1]], default)).Should().Be(1);
        var retaken = await b.Claims.ClaimAsync(10, default);
        retaken.Select(e => e.OperationId).Should().Equal(ids[1]);
        retaken[0].ClaimedBy.Should().Be(b.InstanceId);
    }

    [PostgresFact]
    public async Task Completing_a_delivery_removes_the_report_and_writes_its_tombstone_in_one_step()
    {
        var store = await db.StartStoreAsync();
        var id = Id();
        await store.Entries.TryAddAsync(id, StoredEntryState.Pending, "{}", default);
        var delivered = DateTimeOffset.UtcNow;
        var quantities = new Dictionary<string, long> { ["tokens"] = long.MaxValue - 1, ["calls"] = 1 };

        var added = await store.Claims.CompleteAsync(
            [new StoredTombstone { OperationId = id, IdempotencyKey = id + ":usage", Quantities = quantities, DeliveredAt = delivered }], default);

        added.Should().Be(1);
        (await store.Entries.GetAsync(id, default)).Should().BeNull();
        var tombstone = await store.Tombstones.FindAsync(id, default);
        tombstone!.IdempotencyKey.Should().Be(id + ":usage");
        tombstone.Quantities.Should().BeEquivalentTo(quantities);
        tombstone.DeliveredAt.Should().BeCloseTo(delivered, TimeSpan.FromMilliseconds(1));
    }
}
