using System.Globalization;
using CodeRunner.Configuration;
using Microsoft.Extensions.Configuration;
using Paygentic.Sdk;

namespace CodeRunner.Server.Configuration;

/// <summary>
/// The server's own settings, from the command line (<c>--billing</c>, <c>--data</c>, <c>--workers</c>,
/// <c>--unsafe-no-sandbox</c>) or the environment (<c>CODERUNNER_*</c>, Judge0's <c>MAX_QUEUE_SIZE</c>), plus the
/// Paygentic server (<c>PAYGENTIC_API_KEY</c>/<c>_BASE_URL</c>/<c>_MERCHANT_ID</c>: all three, or none for the
/// embedded emulator).
/// </summary>
internal sealed record ServerSettings
{
    public const string DefaultUrl = "http://127.0.0.1:2358"; // Judge0's port

    public BillingMode Billing { get; init; } = BillingMode.Legacy;

    /// <summary>Where the database and the outbox live; null = a fresh temporary directory (embedded emulator).</summary>
    public string? DataDirectory { get; init; }

    public int MaxQueueSize { get; init; } = 100;

    public int Workers { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>A submission still queued after this long is cancelled (status 13, not charged).</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Legacy: reservations per hold. 1 keeps every wallet figure exact per submission.</summary>
    public int ReservationPoolSize { get; init; } = 1;

    public bool AllowUnsandboxed { get; init; }

    /// <summary>Whether a demo account is made (and its token printed) at start.</summary>
    public bool CreateDemoAccount { get; init; } = true;

    public string? ApiKey { get; init; }

    public Uri? BaseUrl { get; init; }

    public string? MerchantId { get; init; }

    public bool UsesExternalServer => ApiKey is not null;

    public SampleSettings Catalogue { get; init; } = new();

    public string PlanId => Billing == BillingMode.Standard ? Catalogue.StandardPlanId : Catalogue.LegacyPlanId;

    /// <summary>Reads the settings; arguments the server does not know are left for ASP.NET Core (e.g. --urls).</summary>
    public static ServerSettings From(IConfiguration configuration, IReadOnlyList<string> args, out List<string> hostArgs)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        hostArgs = [];
        var d = new ServerSettings();
        string? billing = configuration["CODERUNNER_BILLING"];
        string? data = configuration["CODERUNNER_DATA"];
        string? workers = configuration["CODERUNNER_WORKERS"];
        bool unsandboxed = false;
        bool demo = configuration["CODERUNNER_DEMO"] is not { } demoText || !demoText.Equals("false", StringComparison.OrdinalIgnoreCase);
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--billing": billing = Next(); break;
                case "--data": data = Next(); break;
                case "--workers": workers = Next(); break;
                case "--no-demo": demo = false; break;
                case "--unsafe-no-sandbox": unsandboxed = true; break;
                default: hostArgs.Add(args[i]); break;
            }
        }

        string? apiKey = NonEmpty(configuration[PaygenticEnvironmentVariables.ApiKey]);
        string? baseUrl = NonEmpty(configuration[PaygenticEnvironmentVariables.BaseUrl]);
        string? merchant = NonEmpty(configuration[PaygenticEnvironmentVariables.MerchantId]);
        if ((apiKey is null) != (baseUrl is null) || (apiKey is null) != (merchant is null))
        {
            // Half a configuration would send a real key to the embedded emulator or the other way round.
            throw new FormatException("Set all of PAYGENTIC_API_KEY, PAYGENTIC_BASE_URL and PAYGENTIC_MERCHANT_ID, or none (embedded emulator).");
        }

        Uri? url = null;
        if (baseUrl is not null && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            throw new FormatException("PAYGENTIC_BASE_URL must be an absolute http or https URL.");
        }

        return new ServerSettings
        {
            Billing = ParseBilling(billing),
            DataDirectory = NonEmpty(data),
            MaxQueueSize = Whole(configuration["MAX_QUEUE_SIZE"], "MAX_QUEUE_SIZE", d.MaxQueueSize),
            Workers = Whole(workers, "--workers", d.Workers),
            QueueTimeout = TimeSpan.FromSeconds(Whole(configuration["CODERUNNER_QUEUE_TIMEOUT_S"], "CODERUNNER_QUEUE_TIMEOUT_S", (int)d.QueueTimeout.TotalSeconds)),
            ReservationPoolSize = Whole(configuration["CODERUNNER_RESERVATION_POOL"], "CODERUNNER_RESERVATION_POOL", d.ReservationPoolSize),
            AllowUnsandboxed = unsandboxed,
            CreateDemoAccount = demo,
            ApiKey = apiKey,
            BaseUrl = url,
            MerchantId = merchant,
            Catalogue = SampleSettings.From(configuration),
        };
    }

    private static BillingMode ParseBilling(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "legacy" => BillingMode.Legacy,
        "standard" => BillingMode.Standard,
        "off" => BillingMode.Off,
        _ => throw new FormatException($"--billing must be legacy, standard or off (got '{value}')."),
    };

    private static int Whole(string? value, string name, int fallback) =>
        string.IsNullOrWhiteSpace(value) ? fallback
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed > 0 ? parsed
        : throw new FormatException($"{name} must be a positive whole number (got '{value}').");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
