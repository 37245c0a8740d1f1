using Microsoft.Extensions.DependencyInjection;
using Paygentic.Sdk.DependencyInjection;

namespace Paygentic.Sdk.Outbox.Sqlite;

/// <summary>Registers the SQLite outbox: <c>services.AddPaygentic(...).AddMeteringGuard(...).AddSqliteOutbox("usage.db")</c>.</summary>
public static class SqliteOutboxMeteringBuilderExtensions
{
    /// <summary>Keeps the guard's tickets and reports in the SQLite file <paramref name="path"/> (created when absent).</summary>
    /// <param name="builder">The metering builder.</param>
    /// <param name="path">The database file, e.g. <c>usage.db</c> on persistent storage.</param>
    public static MeteringBuilder AddSqliteOutbox(this MeteringBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.AddSqliteOutbox(o => o.Path = path);
    }

    /// <summary>Keeps the guard's tickets and reports in a SQLite file configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The metering builder.</param>
    /// <param name="configure">Sets the options (<see cref="SqliteOutboxOptions.Path"/> is required).</param>
    public static MeteringBuilder AddSqliteOutbox(this MeteringBuilder builder, Action<SqliteOutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqliteOutboxOptions();
        configure(options);
        var outbox = new SqliteUsageOutbox(options); // validates the options now, at registration
        builder.Services.AddSingleton(_ => outbox); // a factory registration, so the container disposes it
        return builder.UseOutbox(sp => sp.GetRequiredService<SqliteUsageOutbox>());
    }
}
