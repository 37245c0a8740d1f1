using CodeRunner.Server.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Paygentic.Emulator;

namespace CodeRunner.Server.Hosting;

/// <summary>
/// The Paygentic server the service bills through: the settings' server, or the emulator hosted in this process on a
/// loopback port the kernel picks (the default, as the console sample does). The embedded emulator keeps its state in
/// memory, so it lives exactly as long as this process.
/// </summary>
internal sealed class PaygenticBackend : IAsyncDisposable
{
    private readonly WebApplication? _emulator;

    private PaygenticBackend(string apiKey, Uri baseUrl, string merchantId, WebApplication? emulator)
    {
        ApiKey = apiKey;
        BaseUrl = baseUrl;
        MerchantId = merchantId;
        _emulator = emulator;
    }

    public string ApiKey { get; }

    public Uri BaseUrl { get; }

    public string MerchantId { get; }

    public bool IsEmbedded => _emulator is not null;

    public static async Task<PaygenticBackend> StartAsync(ServerSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.UsesExternalServer)
        {
            return new PaygenticBackend(settings.ApiKey!, settings.BaseUrl!, settings.MerchantId!, emulator: null);
        }

        WebApplication app = EmulatorApp.Build(new EmulatorOptions(), args: [], configure: builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders(); // the server's own logs are the interesting ones
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
        return new PaygenticBackend(EmulatorOptions.DefaultApiKey, new Uri(address), EmulatorOptions.DemoMerchantId, app);
    }

    public string Describe() => IsEmbedded
        ? $"embedded Paygentic emulator at {BaseUrl} (merchant {MerchantId})"
        : $"Paygentic server at {BaseUrl} (merchant {MerchantId})";

    public async ValueTask DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _emulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
