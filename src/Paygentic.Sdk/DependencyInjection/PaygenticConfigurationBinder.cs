using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Paygentic.Sdk.DependencyInjection;

/// <summary>
/// Binds <see cref="PaygenticOptions"/> by hand: the configuration binder's reflection path is not AOT-safe, and
/// a hand binder can say exactly which key held a bad value.
/// </summary>
internal static class PaygenticConfigurationBinder
{
    private const string ApiKeyVariable = PaygenticEnvironmentVariables.ApiKey;
    private const string LegacyApiKeyVariable = PaygenticEnvironmentVariables.LegacyApiKey;
    private const string BaseUrlVariable = PaygenticEnvironmentVariables.BaseUrl;
    private const string MerchantIdVariable = PaygenticEnvironmentVariables.MerchantId;

    /// <summary>Applies the <c>PAYGENTIC_*</c> environment variables to <paramref name="options"/>.</summary>
    /// <param name="options">The options to fill.</param>
    /// <param name="getVariable">Reads a variable (e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>).</param>
    public static void ApplyEnvironment(PaygenticOptions options, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(getVariable);
        var key = NonEmpty(getVariable(ApiKeyVariable)) ?? NonEmpty(getVariable(LegacyApiKeyVariable));
        if (key is not null)
        {
            options.ApiKey = key;
        }

        if (NonEmpty(getVariable(BaseUrlVariable)) is { } url)
        {
            options.BaseUrl = ParseUrl(url, BaseUrlVariable);
        }

        if (NonEmpty(getVariable(MerchantIdVariable)) is { } merchant)
        {
            options.MerchantId = merchant;
        }
    }

    /// <summary>Copies every key present in <paramref name="section"/> onto <paramref name="options"/>.</summary>
    /// <param name="section">The configuration section.</param>
    /// <param name="options">The options to fill.</param>
    /// <exception cref="FormatException">A value cannot be read; the message names its key.</exception>
    public static void Bind(IConfiguration section, PaygenticOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        Set(section, nameof(PaygenticOptions.ApiKey), v => options.ApiKey = v);
        Set(section, nameof(PaygenticOptions.BaseUrl), v => options.BaseUrl = ParseUrl(v, Key(section, nameof(PaygenticOptions.BaseUrl))));
        Set(section, nameof(PaygenticOptions.Sandbox), v => options.Sandbox = ParseBool(v, Key(section, nameof(PaygenticOptions.Sandbox))));
        Set(section, nameof(PaygenticOptions.MerchantId), v => options.MerchantId = v);
        Set(section, nameof(PaygenticOptions.AttemptTimeout), v => options.AttemptTimeout = ParseTime(v, Key(section, nameof(PaygenticOptions.AttemptTimeout))));
        Set(section, nameof(PaygenticOptions.TotalTimeout), v => options.TotalTimeout = ParseTime(v, Key(section, nameof(PaygenticOptions.TotalTimeout))));
        Set(section, nameof(PaygenticOptions.MaxResponseBodyBytes), v => options.MaxResponseBodyBytes = ParseInt(v, Key(section, nameof(PaygenticOptions.MaxResponseBodyBytes))));

        var retry = section.GetSection(nameof(PaygenticOptions.Retry));
        var r = options.Retry;
        Set(retry, nameof(r.MaxRetries), v => r.MaxRetries = ParseInt(v, Key(retry, nameof(r.MaxRetries))));
        Set(retry, nameof(r.BaseDelay), v => r.BaseDelay = ParseTime(v, Key(retry, nameof(r.BaseDelay))));
        Set(retry, nameof(r.MaxDelay), v => r.MaxDelay = ParseTime(v, Key(retry, nameof(r.MaxDelay))));
        Set(retry, nameof(r.MaxRetryAfter), v => r.MaxRetryAfter = ParseTime(v, Key(retry, nameof(r.MaxRetryAfter))));
        Set(retry, nameof(r.RetryNonIdempotentRequests), v => r.RetryNonIdempotentRequests = ParseBool(v, Key(retry, nameof(r.RetryNonIdempotentRequests))));
        Set(retry, nameof(r.CircuitBreakerEnabled), v => r.CircuitBreakerEnabled = ParseBool(v, Key(retry, nameof(r.CircuitBreakerEnabled))));
        Set(retry, nameof(r.CircuitBreakerFailureRatio), v => r.CircuitBreakerFailureRatio = ParseDouble(v, Key(retry, nameof(r.CircuitBreakerFailureRatio))));
        Set(retry, nameof(r.CircuitBreakerMinimumThroughput), v => r.CircuitBreakerMinimumThroughput = ParseInt(v, Key(retry, nameof(r.CircuitBreakerMinimumThroughput))));
        Set(retry, nameof(r.CircuitBreakerSamplingDuration), v => r.CircuitBreakerSamplingDuration = ParseTime(v, Key(retry, nameof(r.CircuitBreakerSamplingDuration))));
        Set(retry, nameof(r.CircuitBreakerBreakDuration), v => r.CircuitBreakerBreakDuration = ParseTime(v, Key(retry, nameof(r.CircuitBreakerBreakDuration))));
    }

    private static void Set(IConfiguration section, string key, Action<string> apply)
    {
        if (NonEmpty(section[key]) is { } value)
        {
            apply(value);
        }
    }

    private static string Key(IConfiguration section, string key) =>
        section is IConfigurationSection s && !string.IsNullOrEmpty(s.Path) ? $"{s.Path}:{key}" : key;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Uri ParseUrl(string value, string key) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : throw new FormatException($"{key} must be an absolute URL (was '{value}').");

    private static bool ParseBool(string value, string key) =>
        bool.TryParse(value, out var b) ? b : throw new FormatException($"{key} must be true or false (was '{value}').");

    private static int ParseInt(string value, string key) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new FormatException($"{key} must be a whole number (was '{value}').");

    private static double ParseDouble(string value, string key) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException($"{key} must be a number (was '{value}').");

    private static TimeSpan ParseTime(string value, string key) =>
        TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var t) ? t : throw new FormatException($"{key} must be a time span such as 00:00:30 (was '{value}').");
}
