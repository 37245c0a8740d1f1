using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Paygentic.Sdk.Diagnostics;

/// <summary>
/// The names under which the SDK publishes traces and metrics. Subscribe with OpenTelemetry's
/// <c>AddSource(PaygenticTelemetry.Name)</c> and <c>AddMeter(PaygenticTelemetry.Name)</c>.
/// </summary>
public static class PaygenticTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> and <see cref="Meter"/> name: <c>Paygentic.Sdk</c>.</summary>
    public const string Name = "Paygentic.Sdk";

    internal static readonly ActivitySource ActivitySource = new(Name, typeof(PaygenticTelemetry).Assembly.GetName().Version?.ToString());
}

/// <summary>The HTTP client's instruments; one per meter factory so tests can observe them in isolation.</summary>
internal sealed class ClientMetrics
{
    public ClientMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(PaygenticTelemetry.Name) ?? SharedMeter;
        Requests = meter.CreateCounter<long>("paygentic.client.requests", description: "HTTP attempts sent to Paygentic.");
        Retries = meter.CreateCounter<long>("paygentic.client.retries", description: "Attempts that were retried.");
        Failures = meter.CreateCounter<long>("paygentic.client.failures", description: "Calls that failed after all attempts.");
        Duration = meter.CreateHistogram<double>("paygentic.client.request.duration", unit: "s", description: "Duration of one HTTP attempt.");
    }

    private static readonly Meter SharedMeter = new(PaygenticTelemetry.Name);

    public Counter<long> Requests { get; }

    public Counter<long> Retries { get; }

    public Counter<long> Failures { get; }

    public Histogram<double> Duration { get; }
}
