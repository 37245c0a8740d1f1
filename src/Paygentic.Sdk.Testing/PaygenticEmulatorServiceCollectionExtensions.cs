using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Paygentic.Sdk.DependencyInjection;

namespace Paygentic.Sdk.Testing;

/// <summary>Points a dependency-injection registration of the Paygentic SDK at a <see cref="PaygenticEmulator"/>.</summary>
public static class PaygenticEmulatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Paygentic SDK against <paramref name="emulator"/>: its key, merchant and address, short retry
    /// delays, and — in-process — its transport, so every client, the metering guard and its reporter talk to it
    /// without sockets. Chain <c>.AddMeteringGuard(...)</c> as in production.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="emulator">The emulator to talk to.</param>
    /// <param name="configure">Adjusts the client options (the emulator's key, merchant and address always win).</param>
    public static IServiceCollection AddPaygentic(this IServiceCollection services, PaygenticEmulator emulator, Action<PaygenticOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(emulator);
        services.AddPaygentic(options =>
        {
            options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
            options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
            options.Retry.MaxRetryAfter = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(options);
        });
        return services.UseEmulator(emulator);
    }

    /// <summary>
    /// Re-points an existing <c>AddPaygentic(...)</c> registration (e.g. your application's, bound from configuration)
    /// at <paramref name="emulator"/>: its key, merchant and address replace the configured ones and, in-process, its
    /// transport replaces the network. Order does not matter: it may be called before or after <c>AddPaygentic</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="emulator">The emulator to talk to.</param>
    public static IServiceCollection UseEmulator(this IServiceCollection services, PaygenticEmulator emulator)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(emulator);
        services.PostConfigure<PaygenticOptions>(options =>
        {
            options.ApiKey = emulator.ApiKey;
            options.BaseUrl = emulator.BaseUrl;
            options.MerchantId = emulator.MerchantId;
        });
        if (emulator.IsInProcess)
        {
            // Post-configured, so it runs after the SDK's own primary handler (sockets) whatever the registration order.
            services.PostConfigure<HttpClientFactoryOptions>(
                PaygenticServiceCollectionExtensions.HttpClientName,
                options => options.HttpMessageHandlerBuilderActions.Add(builder => builder.PrimaryHandler = emulator.CreateHandler()));
        }

        return services;
    }
}
