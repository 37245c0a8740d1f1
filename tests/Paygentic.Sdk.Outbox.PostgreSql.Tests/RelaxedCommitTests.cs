using Npgsql;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

/// <summary>
/// Which commits are relaxed (<c>synchronous_commit</c> off for their transaction): a batch of relaxed writes only,
/// which the usage outbox makes of an open ticket unless <see cref="PostgreSqlOutboxOptions.DurableAuthorizations"/>.
/// Each write records the setting from inside its own transaction, the one its commit uses.
/// </summary>
public sealed class RelaxedCommitTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    [PostgresFact]
    public async Task A_batch_of_relaxed_writes_commits_relaxed_and_a_durable_write_alone_commits_durably()
    {
        var store = await db.StartStoreAsync(schema: db.Track(SchemaFixture.NewSchemaName()));
        var probe = await CommitProbe.CreateAsync(db, store.Options.Schema);
        var writer = store.Context.Writer;

        (await writer.WriteAsync(probe.Write("relaxed-alone", relaxed: true), default)).Should().Be(1);
        await writer.WriteAsync(probe.Write("durable-alone", relaxed: false), default);
        var gate = await probe.CloseGateAsync(writer);
        var together = new[] { writer.WriteAsync(probe.Write("relaxed-1", relaxed: true), default), writer.WriteAsync(probe.Write("relaxed-2", relaxed: true), default) };
        await gate.OpenAsync();
        (await Task.WhenAll(together)).Should().Equal(1, 1);

        (await probe.SettingsAsync("relaxed-alone")).Should().Equal("off");
        (await probe.SettingsAsync("durable-alone")).Should().Equal("on");
        (await probe.SettingsAsync("relaxed-1")).Should().Equal("off");
        (await probe.SettingsAsync("relaxed-2")).Should().Equal("off");
        (await probe.XactAsync("relaxed-1")).Should().Be(await probe.XactAsync("relaxed-2"), "both writes were one batch");
        (await probe.SettingsAsync("gate-1")).Should().Equal(["on"], "the gated writes are durable");
    }

    [PostgresFact]
    public async Task A_batch_mixing_relaxed_and_durable_writes_commits_durably()
    {
        var store = await db.StartStoreAsync(schema: db.Track(SchemaFixture.NewSchemaName()));
        var probe = await CommitProbe.CreateAsync(db, store.Options.Schema);
        var writer = store.Context.Writer;

        var gate = await probe.CloseGateAsync(writer);
        var relaxed = writer.WriteAsync(probe.Write("relaxed", relaxed: true), default);
        var durable = writer.WriteAsync(probe.Write("durable", relaxed: false), default);
        await gate.OpenAsync();
        await Task.WhenAll(relaxed, durable);

        (await probe.XactAsync("relaxed")).Should().Be(await probe.XactAsync("durable"), "both writes were one batch");
        (await probe.SettingsAsync("relaxed")).Should().Equal("on");
        (await probe.SettingsAsync("durable")).Should().Equal("on");
    }

    [PostgresFact]
    public async Task A_failing_batch_re_run_one_by_one_keeps_each_writes_own_durability()
    {
        var store = await db.StartStoreAsync(schema: db.Track(SchemaFixture.NewSchemaName()));
        var probe = await CommitProbe.CreateAsync(db, store.Options.Schema);
        var writer = store.Context.Writer;

        var gate = await probe.CloseGateAsync(writer);
        var relaxed = writer.WriteAsync(probe.Write("relaxed", relaxed: true), default);
        var failing = writer.WriteAsync(probe.Failing(relaxed: true), default);
        var durable = writer.WriteAsync(probe.Write("durable", relaxed: false), default);
        await gate.OpenAsync();

        (await relaxed).Should().Be(1);
        (await durable).Should().Be(1);
        (await failing.Invoking(t => t).Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.NotNullViolation);
        (await probe.SettingsAsync("relaxed")).Should().Equal("off");
        (await probe.SettingsAsync("durable")).Should().Equal("on");
        (await probe.XactAsync("relaxed")).Should().NotBe(await probe.XactAsync("durable"), "the failed batch was re-run one write at a time");
    }

    [PostgresFact]
    public async Task The_relaxed_setting_ends_with_its_batch_on_a_connection_that_is_not_reset()
    {
        // The store's own data source skips the reset on return to the pool; one connection serves every write here.
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var connection = new NpgsqlConnectionStringBuilder(PostgresServer.RequireConnectionString()) { MaxPoolSize = 1 }.ConnectionString;
        await using var store = PostgreSqlOutboxStore.Create(connection, new PostgreSqlOutboxOptions { Schema = schema });
        await store.InitializeAsync(default);
        var probe = await CommitProbe.CreateAsync(db, schema);

        await store.Context.Writer.WriteAsync(probe.Write("relaxed", relaxed: true), default);
        await store.Context.Writer.WriteAsync(probe.Write("durable", relaxed: false), default);
        await using var show = store.Context.Command("SHOW synchronous_commit");

        (await probe.SettingsAsync("relaxed")).Should().Equal("off");
        (await probe.SettingsAsync("durable")).Should().Equal("on");
        (await show.ExecuteScalarAsync()).Should().Be("on");
    }

    [PostgresFact]
    public async Task The_usage_outbox_relaxes_an_open_ticket_only_and_keeps_every_other_write_durable()
    {
        var store = await db.StartStoreAsync(schema: db.Track(SchemaFixture.NewSchemaName()));
        var outbox = new PostgreSqlUsageOutbox(store);
        var probe = await CommitProbe.CreateAsync(db, store.Options.Schema);
        await probe.WatchEntriesAsync();

        (await outbox.TryAddAsync(Entry("op-a", OutboxEntryState.Authorized), default)).Should().BeTrue();
        await outbox.UpsertAsync([Entry("op-a", OutboxEntryState.Pending)], default);
        (await outbox.TryAddAsync(Entry("op-p", OutboxEntryState.Pending), default)).Should().BeTrue();
        await outbox.UpsertAsync([Entry("op-u", OutboxEntryState.Authorized)], default);

        (await probe.SettingsAsync("op-a/authorized")).Should().Equal("off");
        (await probe.SettingsAsync("op-a/pending")).Should().OnlyContain(s => s == "on").And.NotBeEmpty();
        (await probe.SettingsAsync("op-p/pending")).Should().Equal("on");
        (await probe.SettingsAsync("op-u/authorized")).Should().Equal(["on"], "only the insert-if-absent at authorization is relaxed");
    }

    [PostgresFact]
    public async Task With_durable_authorizations_an_open_ticket_commits_durably()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var store = await db.StartStoreAsync(schema: schema, configure: o => o.DurableAuthorizations = true);
        var outbox = new PostgreSqlUsageOutbox(store);
        var probe = await CommitProbe.CreateAsync(db, schema);
        await probe.WatchEntriesAsync();

        (await outbox.TryAddAsync(Entry("op-d", OutboxEntryState.Authorized), default)).Should().BeTrue();

        (await probe.SettingsAsync("op-d/authorized")).Should().Equal("on");
        new PostgreSqlOutboxOptions().DurableAuthorizations.Should().BeFalse("relaxed is the default");
    }

    private static OutboxEntry Entry(string id, OutboxEntryState state) => new()
    {
        OperationId = id,
        State = state,
        CreatedAt = DateTimeOffset.UtcNow,
        Ticket = new MeteringTicket
        {
            OperationId = id,
            CustomerId = "cus_probe",
            Strategy = MeteringStrategy.Legacy,
            AuthorizedAt = DateTimeOffset.UtcNow,
            IssuerId = "issuer",
        },
    };
}
