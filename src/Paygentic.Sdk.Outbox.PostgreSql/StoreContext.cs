using Npgsql;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>What the store's tables share: the data source, the quoted schema, the options, the clock and the writer.</summary>
internal sealed class StoreContext(NpgsqlDataSource dataSource, PostgreSqlOutboxOptions options, TimeProvider time, StatementBatchWriter writer)
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public PostgreSqlOutboxOptions Options { get; } = options;

    /// <summary>The quoted schema, e.g. <c>"paygentic_outbox"</c>.</summary>
    public string Schema { get; } = SchemaName.Quote(options.Schema);

    public string InstanceId { get; } = options.InstanceId;

    public TimeProvider Time { get; } = time;

    public StatementBatchWriter Writer { get; } = writer;

    /// <summary>The current time for timestamps computed in .NET; timestamptz parameters must be UTC for Npgsql.</summary>
    public DateTimeOffset UtcNow() => Time.GetUtcNow().ToUniversalTime();

    /// <summary>A command with positional parameters, run on a pooled connection the data source opens and returns.</summary>
    public NpgsqlCommand Command(string sql, params object[] values)
    {
        var command = DataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
