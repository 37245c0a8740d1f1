using System.Globalization;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Faults;

/// <summary>Applies the injector's decision to Paygentic requests.</summary>
internal sealed class FaultMiddleware(RequestDelegate next, EmulatorRuntime runtime)
{
    /// <summary>Marks a request whose answer must be dropped once the operation has been applied.</summary>
    private sealed class AbortAfterApplyFeature;

    public static bool AbortsAfterApply(HttpContext context) => context.Features.Get<AbortAfterApplyFeature>() is not null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!PaygenticPaths.IsPaygentic(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var decision = runtime.Faults.Decide(context.Request.Path);
        try
        {
            if (decision.LatencyMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(decision.LatencyMs), runtime.Time, context.RequestAborted).ConfigureAwait(false);
            }

            switch (decision.Kind)
            {
                case FaultKind.Error500:
                    await Reply.Error(context, StatusCodes.Status500InternalServerError, "internal_error", "Injected fault: internal server error", "INJECTED_FAULT").ConfigureAwait(false);
                    return;
                case FaultKind.Error503:
                    SetRetryAfter(context);
                    await Reply.Error(context, StatusCodes.Status503ServiceUnavailable, "service_unavailable", "Injected fault: service unavailable", "INJECTED_FAULT").ConfigureAwait(false);
                    return;
                case FaultKind.Error429:
                    SetRetryAfter(context);
                    await Reply.Error(context, StatusCodes.Status429TooManyRequests, "rate_limited", "Injected fault: too many requests", "RATE_LIMITED").ConfigureAwait(false);
                    return;
                case FaultKind.Timeout:
                    await Task.Delay(TimeSpan.FromMilliseconds(runtime.Faults.Current.TimeoutMs), runtime.Time, context.RequestAborted).ConfigureAwait(false);
                    context.Abort();
                    return;
                case FaultKind.AbortBefore:
                    context.Abort();
                    return;
                case FaultKind.AbortAfter:
                    context.Features.Set(new AbortAfterApplyFeature());
                    await next(context).ConfigureAwait(false);
                    context.Abort();
                    return;
                default:
                    await next(context).ConfigureAwait(false);
                    return;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up while the fault was delaying it; there is nobody left to answer.
        }
    }

    private void SetRetryAfter(HttpContext context) =>
        context.Response.Headers.RetryAfter = runtime.Faults.Current.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
}
