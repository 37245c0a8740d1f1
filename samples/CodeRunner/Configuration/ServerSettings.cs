using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Paygentic.Sdk;
using Paygentic.Sdk.DependencyInjection;

namespace CodeRunner.Configuration;

/// <summary>
/// Which Paygentic server to use. With none of <c>PAYGENTIC_API_KEY</c>, <c>PAYGENTIC_BASE_URL</c> and
/// <c>PAYGENTIC_MERCHANT_ID</c> set, the sample hosts the emulator itself; with all three it uses that server.
/// </summary>
internal sealed record ServerSettings(string ApiKey, Uri BaseUrl, string MerchantId)
{
    /// <summary>The external server, or null for the embedded emulator.</summary>
    /// <exception cref="FormatException">
    /// Only some of the three are set, or the SDK would refuse them (a URL ending in <c>/v0</c>, plain http to a host
    /// that is not loopback, ...): checked here so the run stops with the message before anything starts.
    /// </exception>
    public static ServerSettings? From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? apiKey = NonEmpty(configuration[PaygenticEnvironmentVariables.ApiKey]);
        string? baseUrl = NonEmpty(configuration[PaygenticEnvironmentVariables.BaseUrl]);
        string? merchantId = NonEmpty(configuration[PaygenticEnvironmentVariables.MerchantId]);
        if (apiKey is null && baseUrl is null && merchantId is null)
        {
            return null;
        }

        // Half a configuration would silently send a real key to the embedded emulator or the other way round.
        if (apiKey is null || baseUrl is null || merchantId is null)
        {
            throw new FormatException(
                "To use your own server set all of PAYGENTIC_API_KEY, PAYGENTIC_BASE_URL and PAYGENTIC_MERCHANT_ID " +
                "(or none of them to use the embedded emulator).");
        }

        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException($"PAYGENTIC_BASE_URL must be an absolute http or https URL (got '{baseUrl}').");
        }

        try
        {
            new PaygenticOptions { ApiKey = apiKey, BaseUrl = url, MerchantId = merchantId }.Validate();
        }
        catch (OptionsValidationException ex)
        {
            // The validator's messages name the option and never its value when it is the key.
            throw new FormatException(string.Join(Environment.NewLine, ex.Failures), ex);
        }

        return new ServerSettings(apiKey, url, merchantId);
    }

    /// <inheritdoc />
    public override string ToString() => $"{BaseUrl} (merchant {MerchantId})";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
