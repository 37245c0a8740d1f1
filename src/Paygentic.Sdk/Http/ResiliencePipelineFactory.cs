using System.Net;
using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Diagnostics;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Paygentic.Sdk.Http;

/// <summary>
/// Builds the Polly pipeline every request goes through: total timeout → retry → circuit breaker → per-attempt
/// timeout. What may be retried depends on the request's <see cref="RetryClass"/>, so no retry can double-charge.
/// </summary>
internal static class ResiliencePipelineFactory
{
    public static readonly ResiliencePropertyKey<RetryClass> RetryClassKey = new("paygentic.retry-class");
    public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("paygentic.request");

    public static ResiliencePipeline<HttpResponseMessage> Create(PaygenticOptions options, TimeProvider time, ClientMetrics metrics, ILogger logger)
    {
        var retry = options.Retry;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };

        if (options.TotalTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(options.TotalTimeout);
        }

        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => ValueTask.FromResult(ServerAdvisedDelay(args.Outcome, retry.MaxRetryAfter, time)),
                OnRetry = args =>
                {
                    metrics.Retries.Add(1);
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    Log.Retrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        if (retry.CircuitBreakerEnabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = retry.CircuitBreakerFailureRatio,
                MinimumThroughput = retry.CircuitBreakerMinimumThroughput,
                SamplingDuration = retry.CircuitBreakerSamplingDuration,
                BreakDuration = retry.CircuitBreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsOutage(args.Outcome)),
                OnOpened = args =>
                {
                    Log.CircuitOpened(logger, (long)args.BreakDuration.TotalMilliseconds);
                    return default;
                },
            });
        }

        if (options.AttemptTimeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(options.AttemptTimeout);
        }

        return builder.Build();
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var retryClass = context.Properties.GetValue(RetryClassKey, RetryClass.Never);
        if (outcome.Exception is { } exception)
        {
            // The SDK's own verdict on an answer that arrived (over the size cap, cut off, undecodable) is final: an answer
            // over the cap is a broken or hostile server, and asking again would read the same flood again.
            if (exception is BrokenCircuitException or PaygenticException)
            {
                return false;
            }

            // The caller's own cancellation (or the total timeout) is final; any other cancellation is a transport that
            // gave up under the request (an in-process server aborting it, for example).
            if (exception is OperationCanceledException)
            {
                return !context.CancellationToken.IsCancellationRequested && retryClass == RetryClass.Safe;
            }

            // A connection that never opened carried nothing to the server: repeating it is always safe.
            if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                return true;
            }

            return retryClass == RetryClass.Safe && exception is HttpRequestException or TimeoutRejectedException or IOException;
        }

        var status = outcome.Result is null ? 0 : (int)outcome.Result.StatusCode;
        return retryClass switch
        {
            RetryClass.Safe => status is 408 or 429 or 500 or 502 or 503 or 504,
            RetryClass.NotProcessedOnly => status is 429 or 503,
            _ => false,
        };
    }

    private static bool IsOutage(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        HttpRequestException or TimeoutRejectedException or IOException => true,
        null => outcome.Result is { StatusCode: HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout },
        _ => false,
    };

    private static TimeSpan? ServerAdvisedDelay(Outcome<HttpResponseMessage> outcome, TimeSpan cap, TimeProvider time)
    {
        if (outcome.Result is null || ErrorTranslator.RetryAfter(outcome.Result, time) is not { } advised)
        {
            return null;
        }

        return advised > cap ? cap : advised;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } e ? e.GetType().Name : ((int)outcome.Result!.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
