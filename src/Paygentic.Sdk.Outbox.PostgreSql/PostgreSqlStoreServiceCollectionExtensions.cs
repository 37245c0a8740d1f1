using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Registers the PostgreSQL outbox store and its options. The metering builder's <c>AddPostgreSqlOutbox</c> will add
/// the guard's outbox adapter on top of this registration.
/// </summary>
public static class PostgreSqlStoreServiceCollectionExtensions
{
    /// <summary>Registers a store with default options and its own data source for <paramref name="connectionString"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPaygenticPostgreSqlStore(this IServiceCollection services, string connectionString) =>
        services.AddPaygenticPostgreSqlStore(connectionString, static _ => { });

    /// <summary>Registers a store with default options on <paramref name="dataSource"/>, which the caller keeps owning.</summary>
    /// <param name="services">The services.</param>
    /// <param name="dataSource">The data source.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPaygenticPostgreSqlStore(this IServiceCollection services, NpgsqlDataSource dataSource) =>
        services.AddPaygenticPostgreSqlStore(dataSource, static _ => { });

    /// <summary>Registers a store with its own data source for <paramref name="connectionString"/> (disposed with the container).</summary>
    /// <param name="services">The services.</param>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPaygenticPostgreSqlStore(
        this IServiceCollection services, string connectionString, Action<PostgreSqlOutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = Configure(configure);
        services.AddSingleton(options);
        services.AddSingleton(sp => PostgreSqlOutboxStore.Create(connectionString, options, sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Registers a store on a data source owned by the caller or the container: <paramref name="dataSource"/> selects
    /// it (e.g. <c>sp =&gt; sp.GetRequiredService&lt;NpgsqlDataSource&gt;()</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="dataSource">Selects the data source.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPaygenticPostgreSqlStore(
        this IServiceCollection services, Func<IServiceProvider, NpgsqlDataSource> dataSource, Action<PostgreSqlOutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(dataSource);
        var options = Configure(configure);
        services.AddSingleton(options);
        services.AddSingleton(sp => new PostgreSqlOutboxStore(dataSource(sp), options, sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>Registers a store on <paramref name="dataSource"/>, which the caller keeps owning.</summary>
    /// <param name="services">The services.</param>
    /// <param name="dataSource">The data source.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPaygenticPostgreSqlStore(
        this IServiceCollection services, NpgsqlDataSource dataSource, Action<PostgreSqlOutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return services.AddPaygenticPostgreSqlStore(_ => dataSource, configure);
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
