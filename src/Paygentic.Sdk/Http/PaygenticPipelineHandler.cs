using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Paygentic.Sdk.Diagnostics;
using Polly;

namespace Paygentic.Sdk.Http;

/// <summary>
/// Runs each request through the shared resilience pipeline and records per-attempt telemetry. One pipeline
/// instance is shared by every client of a configuration, so the circuit breaker sees all their traffic. Each attempt
/// reads its answer's body whole (capped, see <see cref="BufferedContent"/>) before it ends, so the attempt and total
/// timeouts bound the body as well as the headers: a server that sends headers and then drips the body cannot hold
/// a call past them.
/// </summary>
internal sealed class PaygenticPipelineHandler(
    ResiliencePipeline<HttpResponseMessage> pipeline,
    bool retryNonIdempotent,
    int maxBodyBytes,
    Redactor redactor,
    ClientMetrics metrics,
    ILogger logger,
    TimeProvider time) : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<int> AttemptKey = new("paygentic.attempt");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri?.AbsolutePath ?? "/";
        using var activity = PaygenticTelemetry.ActivitySource.StartActivity("Paygentic " + request.Method.Method, ActivityKind.Client);
        activity?.SetTag("http.request.method", request.Method.Method);
        activity?.SetTag("url.path", path);

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ResiliencePipelineFactory.RetryClassKey, RetryDeclaration.Take(request, retryNonIdempotent));
        context.Properties.Set(ResiliencePipelineFactory.RequestKey, request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                static (ctx, state) => state.self.SendAttemptAsync(ctx, state.request, state.path),
                context,
                (self: this, request, path)).ConfigureAwait(false);

            activity?.SetTag("paygentic.attempts", context.Properties.GetValue(AttemptKey, 0));
            if (outcome.Exception is { } exception)
            {
                metrics.Failures.Add(1);
                activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
                ExceptionDispatchInfo.Capture(exception).Throw();
            }

            var response = outcome.Result!;
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            if (!response.IsSuccessStatusCode)
            {
                metrics.Failures.Add(1);
                activity?.SetStatus(ActivityStatusCode.Error);
            }

            return response;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<Outcome<HttpResponseMessage>> SendAttemptAsync(ResilienceContext context, HttpRequestMessage request, string path)
    {
        var attempt = context.Properties.GetValue(AttemptKey, 0) + 1;
        context.Properties.Set(AttemptKey, attempt);
        var started = time.GetTimestamp();
        metrics.Requests.Add(1);
        try
        {
            var response = await base.SendAsync(request, context.CancellationToken).ConfigureAwait(false);
            try
            {
                await BufferedContent.BufferAsync(response, maxBodyBytes, request.Method.Method + " " + path, redactor, context.CancellationToken).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }

            var elapsed = time.GetElapsedTime(started);
            metrics.Duration.Record(elapsed.TotalSeconds);
            Log.AttemptCompleted(logger, request.Method.Method, path, (int)response.StatusCode, attempt, (long)elapsed.TotalMilliseconds);
            return Outcome.FromResult(response);
        }
#pragma warning disable CA1031 // every failure becomes an outcome the pipeline judges; nothing is swallowed
        catch (Exception e)
#pragma warning restore CA1031
        {
            var elapsed = time.GetElapsedTime(started);
            metrics.Duration.Record(elapsed.TotalSeconds);
            Log.AttemptFailed(logger, request.Method.Method, path, attempt, e.GetType().Name, (long)elapsed.TotalMilliseconds);
            return Outcome.FromException<HttpResponseMessage>(e);
        }
    }
}
