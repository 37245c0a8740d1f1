using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;

/// <summary>
/// One random schema per test class (plus any extra a test asks for), dropped when the class is done. Stores and
/// data sources made here are disposed with it.
/// </summary>
public sealed class SchemaFixture : IAsyncLifetime
{
    private readonly List<string> _schemas = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private NpgsqlDataSource? _admin;

    public string Schema { get; } = NewSchemaName();

    public NpgsqlDataSource Admin => _admin ??= CreateDataSource();

    public static string NewSchemaName() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A separate data source (its own pool): a second "replica" talks to the server through it.</summary>
    public NpgsqlDataSource CreateDataSource()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer.RequireConnectionString()) { MaxPoolSize = 20 };
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        lock (_owned)
        {
            _owned.Add(dataSource);
        }

        return dataSource;
    }

    /// <summary>An initialized store on this class's schema (or <paramref name="schema"/>), with its own data source.</summary>
    public async Task<PostgreSqlOutboxStore> StartStoreAsync(
        string? instanceId = null, TimeProvider? time = null, string? schema = null, Action<PostgreSqlOutboxOptions>? configure = null)
    {
        var options = new PostgreSqlOutboxOptions { Schema = schema ?? Schema, InstanceId = instanceId ?? "i-" + Guid.NewGuid().ToString("N")[..12] };
        configure?.Invoke(options);
        var store = new PostgreSqlOutboxStore(CreateDataSource(), options, time ?? new FakeTimeProvider(DateTimeOffset.UtcNow));
        lock (_owned)
        {
            _owned.Insert(0, store); // disposed before its data source
        }

        Track(options.Schema);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    /// <summary>Remembers a schema a test created, so it is dropped too.</summary>
    public string Track(string schema)
    {
        lock (_schemas)
        {
            if (!_schemas.Contains(schema))
            {
                _schemas.Add(schema);
            }
        }

        return schema;
    }

    /// <summary>Runs SQL with <c>{s}</c> standing for the quoted schema (this class's unless given).</summary>
    public async Task<int> ExecuteAsync(string sql, params object[] values) => await ExecuteInAsync(Schema, sql, values);

    public async Task<int> ExecuteInAsync(string schema, string sql, params object[] values)
    {
        await using var command = Admin.CreateCommand(sql.Replace("{s}", "\"" + schema + "\"", StringComparison.Ordinal));
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] values) => await ScalarInAsync<T>(Schema, sql, values);

    public async Task<T> ScalarInAsync<T>(string schema, string sql, params object[] values)
    {
        await using var command = Admin.CreateCommand(sql.Replace("{s}", "\"" + schema + "\"", StringComparison.Ordinal));
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var result = await command.ExecuteScalarAsync();
        return result is DateTime utc && typeof(T) == typeof(DateTimeOffset) ? (T)(object)new DateTimeOffset(utc) : (T)result!;
    }

    /// <summary>Ends an instance's lease by the database clock, as if it had stopped renewing long ago.</summary>
    public Task ExpireLeaseAsync(string instanceId, string? schema = null) =>
        ExecuteInAsync(schema ?? Schema, "UPDATE {s}.instances SET lease_expires_at = now() - interval '1 second' WHERE id = $1", instanceId);

    public Task InitializeAsync()
    {
        Track(Schema);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (PostgresServer.ConnectionString is null)
        {
            return;
        }

        foreach (var schema in _schemas)
        {
            await using var drop = Admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await drop.ExecuteNonQueryAsync();
        }

        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
