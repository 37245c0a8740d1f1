using CodeRunner.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paygentic.Emulator;

namespace CodeRunner.Hosting;

/// <summary>
/// The Paygentic server of the run: the emulator hosted in this process on a free loopback port (the default), or a
/// server given by the environment. Only the embedded emulator exposes its ledger: we know it is ours and on loopback.
/// </summary>
internal sealed class BillingServer : IAsyncDisposable
{
    private readonly WebApplication? _emulator;

    private BillingServer(string apiKey, Uri baseUrl, string merchantId, WebApplication? emulator)
    {
        ApiKey = apiKey;
        BaseUrl = baseUrl;
        MerchantId = merchantId;
        _emulator = emulator;
        Ledger = emulator is null ? null : new EmulatorLedger(baseUrl);
    }

    public string ApiKey { get; }

    public Uri BaseUrl { get; }

    public string MerchantId { get; }

    public bool IsEmbedded => _emulator is not null;

    /// <summary>The embedded emulator's admin ledger, or null for any other server.</summary>
    public EmulatorLedger? Ledger { get; }

    /// <summary>Starts the emulator with its default seed on 127.0.0.1 and a port the kernel picks.</summary>
    public static async Task<BillingServer> StartEmbeddedAsync(CancellationToken cancellationToken)
    {
        WebApplication app = EmulatorApp.Build(new EmulatorOptions(), args: [], configure: builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders(); // the run's own output is the table, not request logs
        });
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BillingServer(EmulatorOptions.DefaultApiKey, new Uri(address), EmulatorOptions.DemoMerchantId, app);
    }

    public static BillingServer External(ServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new BillingServer(settings.ApiKey, settings.BaseUrl, settings.MerchantId, emulator: null);
    }

    /// <summary>One line for the banner.</summary>
    public string Describe() => IsEmbedded
        ? $"embedded Paygentic emulator at {BaseUrl} (in this process; merchant {MerchantId}, key {ApiKey})"
        : $"Paygentic server at {BaseUrl} (merchant {MerchantId}, from PAYGENTIC_BASE_URL)";

    public async ValueTask DisposeAsync()
    {
        Ledger?.Dispose();
        if (_emulator is not null)
        {
            await _emulator.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _emulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
