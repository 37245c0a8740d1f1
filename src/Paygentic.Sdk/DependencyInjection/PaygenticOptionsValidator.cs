using System.Net;
using Microsoft.Extensions.Options;

namespace Paygentic.Sdk.DependencyInjection;

/// <summary>Validates <see cref="PaygenticOptions"/>; every failure names the option it is about.</summary>
internal sealed class PaygenticOptionsValidator : IValidateOptions<PaygenticOptions>
{
    // Below a kilobyte even an error answer would not fit; above a gigabyte the buffer is no longer a cap worth having.
    private const int LeastResponseBodyBytes = 1024;
    private const int MostResponseBodyBytes = 1024 * 1024 * 1024;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PaygenticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every invalid option.</summary>
    /// <param name="options">The options to check.</param>
    public static void ThrowIfInvalid(PaygenticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Collect(options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(PaygenticOptions), errors);
        }
    }

    private static List<string> Collect(PaygenticOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.ApiKey))
        {
            errors.Add("Paygentic:ApiKey is required (set it in configuration, or the PAYGENTIC_API_KEY environment variable).");
        }
        else if (o.ApiKey.Any(char.IsWhiteSpace))
        {
            errors.Add("Paygentic:ApiKey must not contain white space.");
        }

        CheckBaseUrl(o.BaseUrl, errors);
        if (o.MerchantId is { } merchant && string.IsNullOrWhiteSpace(merchant))
        {
            errors.Add("Paygentic:MerchantId must not be blank when set.");
        }

        Positive(o.AttemptTimeout, "AttemptTimeout", errors);
        Positive(o.TotalTimeout, "TotalTimeout", errors);
        if (o.TotalTimeout > TimeSpan.Zero && o.AttemptTimeout > o.TotalTimeout)
        {
            errors.Add("Paygentic:AttemptTimeout must not exceed Paygentic:TotalTimeout.");
        }

        if (o.MaxResponseBodyBytes is < LeastResponseBodyBytes or > MostResponseBodyBytes)
        {
            errors.Add("Paygentic:MaxResponseBodyBytes must be between 1024 (1 KiB) and 1073741824 (1 GiB).");
        }

        CheckRetry(o.Retry, errors);
        return errors;
    }

    private static void CheckBaseUrl(Uri? url, List<string> errors)
    {
        if (url is null || !url.IsAbsoluteUri)
        {
            errors.Add("Paygentic:BaseUrl must be an absolute URL such as https://api.paygentic.io.");
            return;
        }

        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"Paygentic:BaseUrl must use https (was '{url.Scheme}').");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
        {
            errors.Add($"Paygentic:BaseUrl must use https; plain http is allowed only for loopback addresses (was '{url.Host}').");
        }

        var path = url.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v0", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("Paygentic:BaseUrl must not end in a version segment such as /v0: the SDK adds /v0 and /v1 per endpoint.");
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            errors.Add("Paygentic:BaseUrl must not carry a query string or fragment.");
        }
    }

    internal static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private static void CheckRetry(PaygenticRetryOptions? r, List<string> errors)
    {
        if (r is null)
        {
            errors.Add("Paygentic:Retry must not be null.");
            return;
        }

        if (r.MaxRetries is < 0 or > 10)
        {
            errors.Add("Paygentic:Retry:MaxRetries must be between 0 and 10.");
        }

        Positive(r.BaseDelay, "Retry:BaseDelay", errors);
        Positive(r.MaxDelay, "Retry:MaxDelay", errors);
        if (r.MaxRetryAfter < TimeSpan.Zero)
        {
            errors.Add("Paygentic:Retry:MaxRetryAfter must not be negative.");
        }

        if (r.CircuitBreakerEnabled)
        {
            if (r.CircuitBreakerFailureRatio is <= 0 or > 1 || double.IsNaN(r.CircuitBreakerFailureRatio))
            {
                errors.Add("Paygentic:Retry:CircuitBreakerFailureRatio must be greater than 0 and at most 1.");
            }

            if (r.CircuitBreakerMinimumThroughput < 2)
            {
                errors.Add("Paygentic:Retry:CircuitBreakerMinimumThroughput must be at least 2.");
            }

            if (r.CircuitBreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
            {
                errors.Add("Paygentic:Retry:CircuitBreakerSamplingDuration must be at least 0.5 s.");
            }

            if (r.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
            {
                errors.Add("Paygentic:Retry:CircuitBreakerBreakDuration must be at least 0.5 s.");
            }
        }
    }

    private static void Positive(TimeSpan value, string name, List<string> errors)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"Paygentic:{name} must be positive.");
        }
    }
}
