namespace Paygentic.Sdk;

/// <summary>
/// Settings of a Paygentic client. Bind them from configuration (section keys are the property names) or from the
/// environment (<c>PAYGENTIC_API_KEY</c>, <c>PAYGENTIC_BASE_URL</c>, <c>PAYGENTIC_MERCHANT_ID</c>); they are
/// validated at start-up and every error names the option.
/// </summary>
public sealed class PaygenticOptions
{
    /// <summary>Paygentic's production API.</summary>
    public static readonly Uri ProductionBaseUrl = new("https://api.paygentic.io");

    /// <summary>Paygentic's sandbox API.</summary>
    public static readonly Uri SandboxBaseUrl = new("https://api.sandbox.paygentic.io");

    /// <summary>The secret API key, sent as a bearer token. Required. Never logged, never in an exception or <see cref="ToString"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The API's base URL without a version segment (paths carry <c>/v0</c>, <c>/v1</c>). Defaults to production.
    /// HTTPS is required except for loopback addresses (a local emulator).
    /// </summary>
    public Uri BaseUrl { get; set; } = ProductionBaseUrl;

    /// <summary>Shortcut for <see cref="BaseUrl"/> = <see cref="SandboxBaseUrl"/> when set to <see langword="true"/>.</summary>
    public bool Sandbox
    {
        get => BaseUrl == SandboxBaseUrl;
        set => BaseUrl = value ? SandboxBaseUrl : ProductionBaseUrl;
    }

    /// <summary>
    /// Your merchant organisation id (<c>org_…</c>). Used when a request needs a <c>merchantId</c> and the call
    /// does not give one (customers, reservations, usage).
    /// </summary>
    public string? MerchantId { get; set; }

    /// <summary>How long one HTTP attempt may take before it is abandoned (and retried when that is safe). Default 20 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a call may take in all, retries and their delays included. Default 60 s.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The default of <see cref="MaxResponseBodyBytes"/>: 32 MiB.</summary>
    public const int DefaultMaxResponseBodyBytes = 32 * 1024 * 1024;

    /// <summary>
    /// The largest answer body the SDK reads, in bytes, counted after decompression; a larger one (or an endless one)
    /// ends the call with <see cref="PaygenticResponseTooLargeException"/> and is not retried. The largest real answer,
    /// a full batch, is far smaller. Default <see cref="DefaultMaxResponseBodyBytes"/> (32 MiB); between
    /// 1 KiB and 1 GiB.
    /// </summary>
    public int MaxResponseBodyBytes { get; set; } = DefaultMaxResponseBodyBytes;

    /// <summary>Retry and circuit-breaker settings.</summary>
    public PaygenticRetryOptions Retry { get; set; } = new();

    /// <summary>Returns the base URL and merchant id; never the API key.</summary>
    public override string ToString() =>
        $"PaygenticOptions {{ BaseUrl = {BaseUrl}, MerchantId = {MerchantId ?? "(none)"}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")} }}";

    /// <summary>Checks every option; the message of the exception names each invalid one.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">Some option is invalid.</exception>
    public void Validate() => DependencyInjection.PaygenticOptionsValidator.ThrowIfInvalid(this);
}

/// <summary>
/// When and how the SDK retries. Only requests that cannot double-charge are retried: reads, usage and events
/// (their idempotency key is fixed before the first attempt), customer creation (idempotent per email) and — only
/// on 429/503, which mean "not processed" — reservations.
/// </summary>
public sealed class PaygenticRetryOptions
{
    /// <summary>Retries after the first attempt. Default 3; 0 turns retries off.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff delay; later ones grow exponentially with jitter. Default 0.5 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest backoff delay. Default 10 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest <c>Retry-After</c> the SDK honours; a longer one is capped to this. Default 30 s.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Opt in to retrying subscription creation, subscription termination and portal links. Off by default: a
    /// retried subscription create could start a second checkout.
    /// </summary>
    public bool RetryNonIdempotentRequests { get; set; }

    /// <summary>Whether the circuit breaker is on. Default on.</summary>
    public bool CircuitBreakerEnabled { get; set; } = true;

    /// <summary>The failure ratio (0–1] in the sampling window that opens the circuit. Default 0.5.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The least number of calls in the sampling window before the circuit may open. Default 20.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The window over which failures are counted. Default 30 s.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before a trial call. Default 5 s.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
