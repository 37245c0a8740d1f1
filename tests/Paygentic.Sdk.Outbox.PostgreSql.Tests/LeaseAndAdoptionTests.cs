using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;
using static Paygentic.Sdk.Outbox.PostgreSql.Tests.EntryTableTests;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

public sealed class LeaseAndAdoptionTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    private Task<DateTimeOffset> DatabaseNowAsync() => db.ScalarAsync<DateTimeOffset>("SELECT now()");

    [PostgresFact]
    public async Task Register_and_renew_set_the_lease_by_the_database_clock()
    {
        var store = await db.StartStoreAsync(configure: o => o.LeaseDuration = TimeSpan.FromMinutes(10));
        var before = await DatabaseNowAsync();

        var renewed = await store.Leases.RenewAsync(default);

        renewed!.InstanceId.Should().Be(store.InstanceId);
        renewed.LeaseExpiresAt.Should().BeOnOrAfter(before + TimeSpan.FromMinutes(10));
        renewed.HeartbeatAt.Should().BeOnOrAfter(before);
    }

    [PostgresFact]
    public async Task A_lapsed_lease_is_lost_not_renewed_and_is_listed_as_expired()
    {
        var lapsed = await db.StartStoreAsync();
        var live = await db.StartStoreAsync();
        await db.ExpireLeaseAsync(lapsed.InstanceId);

        (await lapsed.Leases.RenewAsync(default)).Should().BeNull();
        var expired = await live.Leases.ListExpiredAsync(default);
        expired.Select(l => l.InstanceId).Should().Contain(lapsed.InstanceId).And.NotContain(live.InstanceId);
    }

    [PostgresFact]
    public async Task A_survivor_adopts_only_the_expired_instances_tickets_and_reports()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var dead = await db.StartStoreAsync(schema: schema);
        var live = await db.StartStoreAsync(schema: schema);
        var survivor = await db.StartStoreAsync(schema: schema);
        var (ticket, report, letter) = (Id(), Id(), Id());
        await dead.Entries.UpsertAsync([Entry(ticket, StoredEntryState.Authorized), Entry(report, StoredEntryState.Pending), Entry(letter, StoredEntryState.DeadLettered)], default);
        (await dead.Claims.ClaimAsync(10, default)).Should().ContainSingle();
        var liveTicket = Id();
        await live.Entries.TryAddAsync(liveTicket, StoredEntryState.Authorized, "{}", default);
        await db.ExpireLeaseAsync(dead.InstanceId, schema);

        var adoption = await survivor.Leases.AdoptExpiredAsync(default);

        adoption.DeadInstanceIds.Should().Equal(dead.InstanceId);
        adoption.Entries.Select(e => e.OperationId).Should().BeEquivalentTo([ticket, report]);
        adoption.Entries.Should().AllSatisfy(e => e.OwnerInstanceId.Should().Be(survivor.InstanceId));
        (await survivor.Entries.GetAsync(report, default))!.ClaimedBy.Should().BeNull("the dead claimer's claim is dropped");
        (await survivor.Entries.GetAsync(letter, default))!.OwnerInstanceId.Should().Be(dead.InstanceId, "dead letters are shared, not adopted");
        (await survivor.Entries.GetAsync(liveTicket, default))!.OwnerInstanceId.Should().Be(live.InstanceId);
        (await db.ScalarInAsync<long>(schema, "SELECT count(*) FROM {s}.instances WHERE id = $1", dead.InstanceId)).Should().Be(0);
        (await survivor.Leases.AdoptExpiredAsync(default)).Entries.Should().BeEmpty("each dead instance is adopted once");
        (await dead.Leases.RenewAsync(default)).Should().BeNull("the adopted instance has lost its lease");
    }

    [PostgresFact]
    public async Task A_live_instance_is_never_adopted()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var live = await db.StartStoreAsync(schema: schema, configure: o => o.LeaseDuration = TimeSpan.FromHours(1));
        var survivor = await db.StartStoreAsync(schema: schema);
        var ids = new[] { Id(), Id() };
        await live.Entries.UpsertAsync([Entry(ids[0], StoredEntryState.Authorized), Entry(ids[1], StoredEntryState.Pending)], default);

        var adoption = await survivor.Leases.AdoptExpiredAsync(default);

        adoption.DeadInstanceIds.Should().BeEmpty();
        adoption.Entries.Should().BeEmpty();
        foreach (var id in ids)
        {
            (await survivor.Entries.GetAsync(id, default))!.OwnerInstanceId.Should().Be(live.InstanceId);
        }

        (await live.Leases.RenewAsync(default)).Should().NotBeNull();
    }

    [PostgresFact]
    public async Task Entries_of_an_owner_that_never_registered_are_adopted_as_orphans()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var survivor = await db.StartStoreAsync(schema: schema);
        var orphan = Id();
        await db.ExecuteInAsync(schema,
            "INSERT INTO {s}.entries (operation_id, state, payload, owner_instance_id, created_at, updated_at) VALUES ($1, 'pending', '{}', 'ghost', now(), now())",
            orphan);

        var adoption = await survivor.Leases.AdoptExpiredAsync(default);

        adoption.Entries.Select(e => e.OperationId).Should().Equal(orphan);
    }

    [PostgresFact]
    public async Task Two_survivors_adopting_at_once_split_the_dead_between_them()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var expected = new HashSet<string>();
        var deadIds = new HashSet<string>();
        for (var i = 0; i < 10; i++)
        {
            var dead = await db.StartStoreAsync(schema: schema);
            deadIds.Add(dead.InstanceId);
            for (var j = 0; j < 5; j++)
            {
                var id = Id();
                expected.Add(id);
                await dead.Entries.TryAddAsync(id, j % 2 == 0 ? StoredEntryState.Pending : StoredEntryState.Authorized, "{}", default);
            }

            await db.ExpireLeaseAsync(dead.InstanceId, schema);
        }

        var first = await db.StartStoreAsync(schema: schema);
        var second = await db.StartStoreAsync(schema: schema);

        var adoptions = await Task.WhenAll(first.Leases.AdoptExpiredAsync(default), second.Leases.AdoptExpiredAsync(default));

        adoptions[0].DeadInstanceIds.Should().NotIntersectWith(adoptions[1].DeadInstanceIds);
        adoptions.SelectMany(a => a.DeadInstanceIds).Should().BeEquivalentTo(deadIds);
        var taken = adoptions.SelectMany(a => a.Entries.Select(e => e.OperationId)).ToList();
        taken.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expected);
    }
}
