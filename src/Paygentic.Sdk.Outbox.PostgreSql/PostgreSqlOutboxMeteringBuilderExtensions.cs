using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paygentic.Sdk.DependencyInjection;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Registers the PostgreSQL outbox shared by a fleet:
/// <c>services.AddPaygentic(...).AddMeteringGuard(...).AddPostgreSqlOutbox(connectionString)</c>. Every replica uses the
/// same schema and its own instance id (a new one per process unless <see cref="PostgreSqlOutboxOptions.InstanceId"/> is set).
/// </summary>
public static class PostgreSqlOutboxMeteringBuilderExtensions
{
    /// <summary>Keeps the guard's tickets and reports in PostgreSQL at <paramref name="connectionString"/>, default settings.</summary>
    /// <param name="builder">The metering builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    public static MeteringBuilder AddPostgreSqlOutbox(this MeteringBuilder builder, string connectionString) =>
        builder.AddPostgreSqlOutbox(connectionString, static _ => { });

    /// <summary>Keeps the guard's tickets and reports in PostgreSQL at <paramref name="connectionString"/>.</summary>
    /// <param name="builder">The metering builder.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="configure">Sets the options (schema, instance id, lease).</param>
    /// <returns>The builder.</returns>
    public static MeteringBuilder AddPostgreSqlOutbox(this MeteringBuilder builder, string connectionString, Action<PostgreSqlOutboxOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = Configure(configure);

        // The store owns a data source made for it, disposed with the outbox.
        return builder.Register(sp => new PostgreSqlOutboxStore(PostgreSqlOutboxStore.CreateDataSource(connectionString), options, sp.GetService<TimeProvider>(), ownsDataSource: true));
    }

    /// <summary>Keeps the guard's tickets and reports in PostgreSQL through a data source the application owns, default settings.</summary>
    /// <param name="builder">The metering builder.</param>
    /// <param name="dataSource">The data source (not disposed by the outbox).</param>
    /// <returns>The builder.</returns>
    public static MeteringBuilder AddPostgreSqlOutbox(this MeteringBuilder builder, NpgsqlDataSource dataSource) =>
        builder.AddPostgreSqlOutbox(dataSource, static _ => { });

    /// <summary>Keeps the guard's tickets and reports in PostgreSQL through a data source the application owns.</summary>
    /// <param name="builder">The metering builder.</param>
    /// <param name="dataSource">The data source (not disposed by the outbox).</param>
    /// <param name="configure">Sets the options (schema, instance id, lease).</param>
    /// <returns>The builder.</returns>
    public static MeteringBuilder AddPostgreSqlOutbox(this MeteringBuilder builder, NpgsqlDataSource dataSource, Action<PostgreSqlOutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.AddPostgreSqlOutbox(_ => dataSource, configure);
    }

    /// <summary>
    /// Keeps the guard's tickets and reports in PostgreSQL through a data source resolved from the container (e.g. one
    /// registered by <c>AddNpgsqlDataSource</c>), which the container owns.
    /// </summary>
    /// <param name="builder">The metering builder.</param>
    /// <param name="dataSource">Resolves the data source.</param>
    /// <param name="configure">Sets the options (schema, instance id, lease).</param>
    /// <returns>The builder.</returns>
    public static MeteringBuilder AddPostgreSqlOutbox(this MeteringBuilder builder, Func<IServiceProvider, NpgsqlDataSource> dataSource, Action<PostgreSqlOutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var options = Configure(configure);
        return builder.Register(sp => new PostgreSqlOutboxStore(dataSource(sp), options, sp.GetService<TimeProvider>()));
    }

    private static MeteringBuilder Register(this MeteringBuilder builder, Func<IServiceProvider, PostgreSqlOutboxStore> store)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // A factory registration, so the container disposes the outbox (and with it the store it made).
        builder.Services.AddSingleton(sp => new PostgreSqlUsageOutbox(store(sp), ownsStore: true));
        return builder.UseOutbox(sp => sp.GetRequiredService<PostgreSqlUsageOutbox>());
    }

    private static PostgreSqlOutboxOptions Configure(Action<PostgreSqlOutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgreSqlOutboxOptions();
        configure(options);
        options.Validate(); // at registration, so a bad schema name fails at startup, not at first use
        return options;
    }
}
