using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Diagnostics;
using Polly;

namespace Paygentic.Sdk.Http;

/// <summary>
/// The shared parts of one client configuration: the resilience pipeline (so the circuit breaker sees all traffic),
/// metrics, logger and clock. DI registers one as a singleton; <see cref="PaygenticClient"/> builds its own.
/// </summary>
internal sealed class HttpPipeline
{
    public HttpPipeline(PaygenticOptions options, TimeProvider time, ILoggerFactory? loggerFactory, System.Diagnostics.Metrics.IMeterFactory? meterFactory)
    {
        Options = options;
        Time = time;
        Logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("Paygentic.Sdk");
        Metrics = new ClientMetrics(meterFactory);
        Resilience = ResiliencePipelineFactory.Create(options, time, Metrics, Logger);
        Redactor = new Redactor(options.ApiKey);
    }

    public PaygenticOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public ClientMetrics Metrics { get; }

    public ResiliencePipeline<HttpResponseMessage> Resilience { get; }

    public Redactor Redactor { get; }

    /// <summary>The outer handler: resilience, reading each answer whole and capped inside its attempt, and telemetry.</summary>
    public DelegatingHandler CreatePipelineHandler() =>
        new PaygenticPipelineHandler(Resilience, Options.Retry.RetryNonIdempotentRequests, Options.MaxResponseBodyBytes, Redactor, Metrics, Logger, Time);

    /// <summary>The inner handler: authentication on every attempt.</summary>
    public DelegatingHandler CreateAuthenticationHandler() => new AuthenticationHandler(Options.ApiKey!);

    public ClientContext CreateContext() => new(new ApiInvoker(Redactor, Time, Options.BaseUrl, Options.MaxResponseBodyBytes), Options.MerchantId, Time);
}
