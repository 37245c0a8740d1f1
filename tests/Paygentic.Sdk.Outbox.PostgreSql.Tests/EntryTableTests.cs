using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

public sealed class EntryTableTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    internal static string Id() => "op-" + Guid.NewGuid().ToString("N");

    internal static StoredEntry Entry(string id, StoredEntryState state, string payload = "{\"n\":1}") =>
        new() { OperationId = id, State = state, PayloadJson = payload };

    [PostgresFact]
    public async Task Insert_if_absent_adds_once_and_never_overwrites_in_any_state()
    {
        var store = await db.StartStoreAsync();
        var id = Id();

        (await store.Entries.TryAddAsync(id, StoredEntryState.Authorized, "{\"v\":1}", default)).Should().BeTrue();
        (await store.Entries.TryAddAsync(id, StoredEntryState.Authorized, "{\"v\":2}", default)).Should().BeFalse();
        await store.Entries.UpsertAsync([Entry(id, StoredEntryState.DeadLettered, "{\"v\":3}")], default);
        (await store.Entries.TryAddAsync(id, StoredEntryState.Pending, "{\"v\":4}", default)).Should().BeFalse();

        var stored = await store.Entries.GetAsync(id, default);
        stored!.State.Should().Be(StoredEntryState.DeadLettered);
        stored.PayloadJson.Should().Be("{\"v\":3}");
        stored.OwnerInstanceId.Should().Be(store.InstanceId);
    }

    [PostgresFact]
    public async Task Upsert_replaces_keeps_the_first_write_time_and_the_last_duplicate_wins()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = await db.StartStoreAsync(time: time);
        var id = Id();
        await store.Entries.UpsertAsync([Entry(id, StoredEntryState.Authorized)], default);
        var created = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(5));

        await store.Entries.UpsertAsync([Entry(id, StoredEntryState.Pending, "{\"a\":1}"), Entry(id, StoredEntryState.Pending, "{\"a\":2}")], default);

        var stored = await store.Entries.GetAsync(id, default);
        stored!.State.Should().Be(StoredEntryState.Pending);
        stored.PayloadJson.Should().Be("{\"a\":2}");
        stored.CreatedAt.Should().BeCloseTo(created, TimeSpan.FromMilliseconds(1));
        stored.UpdatedAt.Should().BeCloseTo(time.GetUtcNow(), TimeSpan.FromMilliseconds(1));
    }

    [PostgresFact]
    public async Task The_payload_comes_back_byte_for_byte()
    {
        var store = await db.StartStoreAsync();
        var id = Id();
        const string payload = "{\"zeta\": 1,  \"alpha\":\"é\\u0041\", \"amount\": 12345678901234567890}";

        await store.Entries.TryAddAsync(id, StoredEntryState.Pending, payload, default);

        (await store.Entries.GetAsync(id, default))!.PayloadJson.Should().Be(payload);
    }

    [PostgresFact]
    public async Task Remove_deletes_the_listed_ids_and_ignores_missing_ones()
    {
        var store = await db.StartStoreAsync();
        var (a, b, c) = (Id(), Id(), Id());
        await store.Entries.UpsertAsync([Entry(a, StoredEntryState.Pending), Entry(b, StoredEntryState.Pending), Entry(c, StoredEntryState.Authorized)], default);

        (await store.Entries.RemoveAsync([a, b, "missing", a], default)).Should().Be(2);

        (await store.Entries.GetAsync(a, default)).Should().BeNull();
        (await store.Entries.GetAsync(b, default)).Should().BeNull();
        (await store.Entries.GetAsync(c, default)).Should().NotBeNull();
        (await store.Entries.RemoveAsync([], default)).Should().Be(0);
    }

    [PostgresFact]
    public async Task Load_returns_a_state_oldest_first_owned_or_fleet_wide()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var mine = await db.StartStoreAsync(time: time);
        var other = await db.StartStoreAsync(time: time);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(Id());
            await mine.Entries.TryAddAsync(ids[^1], StoredEntryState.DeadLettered, "{}", default);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var theirs = Id();
        await other.Entries.TryAddAsync(theirs, StoredEntryState.DeadLettered, "{}", default);

        var owned = await mine.Entries.LoadAsync(StoredEntryState.DeadLettered, ownedOnly: true, default);
        owned.Select(e => e.OperationId).Should().Equal(ids);
        var fleet = await mine.Entries.LoadAsync(StoredEntryState.DeadLettered, ownedOnly: false, default);
        fleet.Select(e => e.OperationId).Should().ContainInOrder(ids).And.Contain(theirs);
        (await mine.Entries.LoadAsync(StoredEntryState.Authorized, ownedOnly: true, default)).Should().BeEmpty();
    }

    [PostgresFact]
    public async Task Invalid_json_fails_its_own_writer_only_even_when_sharing_a_batch()
    {
        var store = await db.StartStoreAsync();
        var good = Enumerable.Range(0, 20).Select(_ => Id()).ToList();
        var bad = Id();

        var writes = good.Select(id => store.Entries.TryAddAsync(id, StoredEntryState.Pending, "{}", default)).ToList();
        var badWrite = store.Entries.TryAddAsync(bad, StoredEntryState.Pending, "{not json", default);

        (await Task.WhenAll(writes)).Should().AllSatisfy(added => added.Should().BeTrue());
        Func<Task> awaitBad = () => badWrite;
        (await awaitBad.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InvalidTextRepresentation);
        (await store.Entries.GetAsync(bad, default)).Should().BeNull();
    }

    [PostgresFact]
    public async Task A_cancelled_token_is_honoured()
    {
        var store = await db.StartStoreAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await store.Invoking(s => s.Entries.TryAddAsync(Id(), StoredEntryState.Pending, "{}", cancelled.Token)).Should().ThrowAsync<OperationCanceledException>();
        await store.Invoking(s => s.Entries.GetAsync(Id(), cancelled.Token)).Should().ThrowAsync<OperationCanceledException>();
        await store.Invoking(s => s.Claims.ClaimAsync(10, cancelled.Token)).Should().ThrowAsync<OperationCanceledException>();
    }
}
