using Microsoft.Extensions.DependencyInjection;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests.Guard;

/// <summary><c>AddPostgreSqlOutbox</c> on the metering builder: the guard's outbox is the PostgreSQL one, disposed with the container.</summary>
public sealed class MeteringBuilderTests(SchemaFixture db) : IClassFixture<SchemaFixture>
{
    [PostgresFact]
    public async Task From_a_connection_string_the_outbox_is_registered_initialized_on_its_schema_and_disposed_with_the_container()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var services = new ServiceCollection();
        services.AddMeteringGuard(_ => { }).AddPostgreSqlOutbox(PostgresServer.RequireConnectionString(), o => { o.Schema = schema; o.InstanceId = "di"; });
        var provider = services.BuildServiceProvider();

        var outbox = provider.GetRequiredService<IUsageOutbox>().Should().BeOfType<PostgreSqlUsageOutbox>().Subject;
        provider.GetRequiredService<PostgreSqlUsageOutbox>().Should().BeSameAs(outbox);
        await outbox.InitializeAsync(CancellationToken.None);
        (await db.ScalarInAsync<string>(schema, "SELECT id FROM {s}.instances")).Should().Be("di");

        await provider.DisposeAsync();
        var closed = () => outbox.Store.DataSource.OpenConnectionAsync().AsTask();
        await closed.Should().ThrowAsync<ObjectDisposedException>("the store made its data source, and the container disposed it");
    }

    [PostgresFact]
    public async Task From_a_data_source_the_application_owns_it_is_left_open()
    {
        var schema = db.Track(SchemaFixture.NewSchemaName());
        var dataSource = db.CreateDataSource();
        var services = new ServiceCollection();
        services.AddMeteringGuard(_ => { }).AddPostgreSqlOutbox(dataSource, o => o.Schema = schema);
        await using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IUsageOutbox>().InitializeAsync(CancellationToken.None);
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        connection.State.Should().Be(System.Data.ConnectionState.Open);
    }

    [Fact]
    public void An_invalid_schema_fails_at_registration()
    {
        var services = new ServiceCollection();
        var register = () => services.AddMeteringGuard(_ => { }).AddPostgreSqlOutbox("Host=127.0.0.1", o => o.Schema = "Not Valid");
        register.Should().Throw<ArgumentException>();
    }
}
