namespace Paygentic.Sdk;

/// <summary>
/// The environment variables the SDK reads (<c>AddPaygentic(IConfiguration)</c> applies them after the configuration
/// section, so the environment wins), and a way to apply them to options made by hand.
/// </summary>
public static class PaygenticEnvironmentVariables
{
    /// <summary>The API key.</summary>
    public const string ApiKey = "PAYGENTIC_API_KEY";

    /// <summary>The official SDKs' name for the API key, used when <see cref="ApiKey"/> is absent.</summary>
    public const string LegacyApiKey = "PAYGENTIC_BEARER_AUTH";

    /// <summary>The base URL (e.g. a standalone emulator's <c>http://127.0.0.1:5080</c>).</summary>
    public const string BaseUrl = "PAYGENTIC_BASE_URL";

    /// <summary>The merchant id.</summary>
    public const string MerchantId = "PAYGENTIC_MERCHANT_ID";

    /// <summary>Copies the variables that are set onto <paramref name="options"/>.</summary>
    /// <param name="options">The options to fill.</param>
    /// <exception cref="FormatException"><see cref="BaseUrl"/> is not an absolute URL; the message names it.</exception>
    public static void ApplyTo(PaygenticOptions options) =>
        DependencyInjection.PaygenticConfigurationBinder.ApplyEnvironment(options, Environment.GetEnvironmentVariable);
}
