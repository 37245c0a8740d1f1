using Microsoft.Extensions.DependencyInjection;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;
using static Paygentic.Sdk.Outbox.PostgreSql.Tests.EntryTableTests;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

public sealed class StoreTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    [PostgresFact]
    public async Task The_backlog_counts_the_whole_fleet_in_one_query()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var a = await db.StartStoreAsync(schema: schema);
        var b = await db.StartStoreAsync(schema: schema);
        await a.Entries.UpsertAsync([Entry(Id(), StoredEntryState.Authorized), Entry(Id(), StoredEntryState.Pending), Entry(Id(), StoredEntryState.Pending)], default);
        await b.Entries.UpsertAsync([Entry(Id(), StoredEntryState.Pending), Entry(Id(), StoredEntryState.DeadLettered)], default);
        await a.Claims.ClaimAsync(1, default);
        await db.ExpireLeaseAsync(b.InstanceId, schema);

        var backlog = await a.GetBacklogAsync(default);

        backlog.Should().BeEquivalentTo(new { OpenTickets = 1L, PendingReports = 3L, ClaimedReports = 1L, DeadLetters = 1L, LiveInstances = 1L });
        backlog.OldestPendingAt.Should().NotBeNull();
        (await (await db.StartStoreAsync(schema: db.Track(SchemaFixture.NewSchemaName()))).GetBacklogAsync(default)).OldestPendingAt.Should().BeNull();
    }

    [PostgresFact]
    public async Task Registration_from_a_connection_string_resolves_a_working_store()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var services = new ServiceCollection()
            .AddPaygenticPostgreSqlStore(PostgresServer.RequireConnectionString(), o => { o.Schema = schema; o.InstanceId = "di-replica"; });
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<PostgreSqlOutboxStore>();
        await store.InitializeAsync(default);

        store.InstanceId.Should().Be("di-replica");
        provider.GetRequiredService<PostgreSqlOutboxOptions>().Schema.Should().Be(schema);
        (await store.Entries.TryAddAsync(Id(), StoredEntryState.Authorized, "{}", default)).Should().BeTrue();
    }

    [PostgresFact]
    public async Task Registration_on_a_data_source_leaves_it_to_its_owner()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var dataSource = db.CreateDataSource();
        await using (var provider = new ServiceCollection().AddPaygenticPostgreSqlStore(dataSource, o => o.Schema = schema).BuildServiceProvider())
        {
            await provider.GetRequiredService<PostgreSqlOutboxStore>().InitializeAsync(default);
        }

        await using var stillOpen = dataSource.CreateCommand("SELECT 1");
        (await stillOpen.ExecuteScalarAsync()).Should().Be(1);
    }

    [Fact]
    public async Task An_unreachable_server_fails_the_write_with_Npgsqls_transient_error_and_the_store_goes_on()
    {
        // Nothing listens on port 1: the connection is refused at once, the way a PostgreSQL outage looks to a replica.
        await using var store = PostgreSqlOutboxStore.Create("Host=127.0.0.1;Port=1;Timeout=2", new PostgreSqlOutboxOptions());

        var write = () => store.Entries.TryAddAsync(Id(), StoredEntryState.Authorized, "{}", default);

        (await write.Should().ThrowAsync<Npgsql.NpgsqlException>()).Which.IsTransient.Should().BeTrue();
        await write.Should().ThrowAsync<Npgsql.NpgsqlException>("the group-commit loop survived the first failure");
    }

    [Fact]
    public void Bad_options_fail_at_registration()
    {
        var services = new ServiceCollection();
        services.Invoking(s => s.AddPaygenticPostgreSqlStore("Host=x", o => o.Schema = "Bad Name")).Should().Throw<ArgumentException>();
        services.Invoking(s => s.AddPaygenticPostgreSqlStore("Host=x", o => o.LeaseDuration = TimeSpan.Zero)).Should().Throw<ArgumentException>();
        services.Invoking(s => s.AddPaygenticPostgreSqlStore("Host=x", o => o.MaxWritesPerBatch = 0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
