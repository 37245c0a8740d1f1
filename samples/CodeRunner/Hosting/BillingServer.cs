using CodeRunner.Configuration;
using Paygentic.Sdk.Testing;

namespace CodeRunner.Hosting;

/// <summary>
/// The Paygentic server of the run: the emulator (Paygentic.Sdk.Testing) hosted in this process on a free loopback
/// port, so its checkout and portal links open in a browser (the default), or a server given by the environment.
/// </summary>
internal sealed class BillingServer : IAsyncDisposable
{
    private readonly PaygenticEmulator? _emulator;

    private BillingServer(string apiKey, Uri baseUrl, string merchantId, PaygenticEmulator? emulator)
    {
        ApiKey = apiKey;
        BaseUrl = baseUrl;
        MerchantId = merchantId;
        _emulator = emulator;
        Ledger = emulator is null ? null : new EmbeddedLedger(emulator);
    }

    public string ApiKey { get; }

    public Uri BaseUrl { get; }

    public string MerchantId { get; }

    public bool IsEmbedded => _emulator is not null;

    /// <summary>The embedded emulator's admin ledger, or null for any other server.</summary>
    public EmbeddedLedger? Ledger { get; }

    /// <summary>Starts the emulator with its default seed on 127.0.0.1 and a port the kernel picks.</summary>
    public static async Task<BillingServer> StartEmbeddedAsync(CancellationToken cancellationToken)
    {
        PaygenticEmulator emulator = await PaygenticEmulator.StartAsync(new PaygenticEmulatorOptions { Port = 0 }, cancellationToken).ConfigureAwait(false);
        return new BillingServer(emulator.ApiKey, emulator.BaseUrl, emulator.MerchantId, emulator);
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
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
