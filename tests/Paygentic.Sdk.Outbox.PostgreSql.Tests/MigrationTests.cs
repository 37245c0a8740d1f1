using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests;

public sealed class MigrationTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    [PostgresFact]
    public async Task A_fresh_schema_is_created_at_the_latest_version_with_every_table()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());

        var version = await PostgreSqlOutboxMigrator.MigrateAsync(db.Admin, schema);

        version.Should().Be(PostgreSqlOutboxMigrator.LatestVersion);
        (await PostgreSqlOutboxMigrator.GetVersionAsync(db.Admin, schema)).Should().Be(PostgreSqlOutboxMigrator.LatestVersion);
        var tables = await db.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = ANY($2)",
            schema, new[] { "entries", "instances", "tombstones", "reservation_pools", "schema_version" });
        tables.Should().Be(5);
    }

    [PostgresFact]
    public async Task Migrating_again_changes_nothing()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        await PostgreSqlOutboxMigrator.MigrateAsync(db.Admin, schema);

        var again = await PostgreSqlOutboxMigrator.MigrateAsync(db.Admin, schema);

        again.Should().Be(PostgreSqlOutboxMigrator.LatestVersion);
        (await db.ScalarInAsync<long>(schema, "SELECT count(*) FROM {s}.schema_version")).Should().Be(PostgreSqlOutboxMigrator.LatestVersion);
    }

    [PostgresFact]
    public async Task Replicas_starting_together_wait_on_the_advisory_lock_and_migrate_once()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var lockKey = "paygentic_outbox_migrate:" + schema;

        // The test holds the migration lock, so both migrators must queue behind it: this proves they take it.
        await using var holder = await db.Admin.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", holder, transaction))
        {
            take.Parameters.Add(new Npgsql.NpgsqlParameter { Value = lockKey });
            await take.ExecuteNonQueryAsync();
        }

        var first = PostgreSqlOutboxMigrator.MigrateAsync(db.CreateDataSource(), schema);
        var second = PostgreSqlOutboxMigrator.MigrateAsync(db.CreateDataSource(), schema);
        while (await db.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted") < 2)
        {
            await Task.Yield(); // waits for something to happen (both blocked), never to prove something did not
        }

        first.IsCompleted.Should().BeFalse();
        await transaction.CommitAsync();

        (await Task.WhenAll(first, second)).Should().AllBeEquivalentTo(PostgreSqlOutboxMigrator.LatestVersion);
        (await db.ScalarInAsync<long>(schema, "SELECT count(*) FROM {s}.schema_version")).Should().Be(PostgreSqlOutboxMigrator.LatestVersion);
    }

    [PostgresFact]
    public async Task A_schema_from_a_newer_build_is_refused_with_a_typed_error_and_left_alone()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        await PostgreSqlOutboxMigrator.MigrateAsync(db.Admin, schema);
        var newer = PostgreSqlOutboxMigrator.LatestVersion + 1;
        await db.ExecuteInAsync(schema, "INSERT INTO {s}.schema_version (version) VALUES ($1)", newer);

        var migrate = () => PostgreSqlOutboxMigrator.MigrateAsync(db.Admin, schema);
        var error = (await migrate.Should().ThrowAsync<PostgreSqlOutboxSchemaException>()).Which;
        error.DatabaseVersion.Should().Be(newer);
        error.SupportedVersion.Should().Be(PostgreSqlOutboxMigrator.LatestVersion);
        error.Schema.Should().Be(schema);
        error.Should().BeAssignableTo<Paygentic.Sdk.UsageOutboxException>();

        var store = () => db.StartStoreAsync(schema: schema);
        await store.Should().ThrowAsync<PostgreSqlOutboxSchemaException>();
        (await db.ScalarInAsync<long>(schema, "SELECT count(*) FROM {s}.instances")).Should().Be(0);
    }

    [PostgresFact]
    public async Task A_reserved_word_is_a_usable_schema_name_because_it_is_quoted()
    {
        var schema = db.Track("order_" + Guid.NewGuid().ToString("N")[..6]);
        await PostgreSqlOutboxMigrator.MigrateAsync(db.Admin, schema);
        var reserved = db.Track("user");
        await db.ExecuteAsync("DROP SCHEMA IF EXISTS \"user\" CASCADE");

        (await PostgreSqlOutboxMigrator.MigrateAsync(db.Admin, reserved)).Should().Be(PostgreSqlOutboxMigrator.LatestVersion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("has-dash")]
    [InlineData("x\"; DROP TABLE t; --")]
    [InlineData("pg_outbox")]
    [InlineData("1starts_with_digit")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public async Task Unsafe_schema_names_are_refused_before_any_sql(string schema)
    {
        var options = new PostgreSqlOutboxOptions { Schema = schema };
        options.Invoking(o => o.Validate()).Should().Throw<ArgumentException>();
        await using var dataSource = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        var migrate = () => PostgreSqlOutboxMigrator.MigrateAsync(dataSource, schema);
        await migrate.Should().ThrowAsync<ArgumentException>();
    }
}
