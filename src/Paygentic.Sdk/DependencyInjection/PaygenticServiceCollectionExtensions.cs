using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Http;
using Paygentic.Sdk.Json;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Usage;
using Refit;

namespace Paygentic.Sdk.DependencyInjection;

/// <summary>Registers the Paygentic client with dependency injection and <c>IHttpClientFactory</c>.</summary>
public static class PaygenticServiceCollectionExtensions
{
    /// <summary>The name of the <c>HttpClient</c> all Paygentic calls use (add your own handlers to it if needed).</summary>
    public const string HttpClientName = "Paygentic";

    /// <summary>
    /// Registers <see cref="IPaygenticClient"/> with options bound from <paramref name="configuration"/> (keys are the
    /// <see cref="PaygenticOptions"/> property names), then from the <c>PAYGENTIC_*</c> environment variables for
    /// anything the section leaves unset. Options are validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section, e.g. <c>configuration.GetSection("Paygentic")</c>.</param>
    public static IServiceCollection AddPaygentic(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddPaygentic(options => PaygenticConfigurationBinder.Bind(configuration, options));
    }

    /// <summary>
    /// Registers <see cref="IPaygenticClient"/>; <paramref name="configure"/> runs after the <c>PAYGENTIC_*</c>
    /// environment variables are applied, so code wins over environment. Options are validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    public static IServiceCollection AddPaygentic(this IServiceCollection services, Action<PaygenticOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<PaygenticOptions>()
            .Configure(options =>
            {
                PaygenticConfigurationBinder.ApplyEnvironment(options, Environment.GetEnvironmentVariable);
                configure(options);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PaygenticOptions>, PaygenticOptionsValidator>());
        if (services.Any(d => d.ServiceType == typeof(HttpPipeline)))
        {
            // Already registered: the options above compose, but the HTTP pipeline must not be stacked twice.
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new HttpPipeline(
            sp.GetRequiredService<IOptions<PaygenticOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>()));

        var http = services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<HttpPipeline>().Options.BaseUrl;
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline owns timeouts
            })
            .AddHttpMessageHandler(sp => sp.GetRequiredService<HttpPipeline>().CreatePipelineHandler())
            .AddHttpMessageHandler(sp => sp.GetRequiredService<HttpPipeline>().CreateAuthenticationHandler())
            // The client is a singleton; connections are recycled by the handler's PooledConnectionLifetime instead.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddRefitGeneratedClient<ICustomersApi>(PaygenticJsonContext.Default, null!, HttpClientName);
        services.AddRefitGeneratedClient<ISubscriptionsApi>(PaygenticJsonContext.Default, null!, HttpClientName);
        services.AddRefitGeneratedClient<IEntitlementsApi>(PaygenticJsonContext.Default, null!, HttpClientName);
        services.AddRefitGeneratedClient<IUsageApi>(PaygenticJsonContext.Default, null!, HttpClientName);
        services.AddRefitGeneratedClient<IEventsApi>(PaygenticJsonContext.Default, null!, HttpClientName);

        // After the Refit registrations, which set a primary handler of their own (a default HttpClientHandler that
        // follows redirects): the last one configured is the one used.
        http.ConfigurePrimaryHttpMessageHandler(PaygenticClient.CreateSocketsHandler);

        services.TryAddSingleton<IPaygenticClient>(sp => new PaygenticClient(
            sp.GetRequiredService<ICustomersApi>(),
            sp.GetRequiredService<ISubscriptionsApi>(),
            sp.GetRequiredService<IEntitlementsApi>(),
            sp.GetRequiredService<IUsageApi>(),
            sp.GetRequiredService<IEventsApi>(),
            sp.GetRequiredService<HttpPipeline>().CreateContext()));
        return services;
    }
}
