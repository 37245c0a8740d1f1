using System.Diagnostics;
using System.Diagnostics.Metrics;
using Paygentic.Sdk.Diagnostics;

namespace Paygentic.Sdk.Metering;

/// <summary>The guard's instruments on the <c>Paygentic.Sdk</c> meter, and its activity names.</summary>
internal sealed class MeteringMetrics
{
    public const string RunActivity = "Paygentic.Metering.Run";
    public const string AuthorizeActivity = "Paygentic.Metering.Authorize";
    public const string ReportActivity = "Paygentic.Metering.Report";
    public const string DeliverActivity = "Paygentic.Metering.Deliver";

    private static readonly Meter SharedMeter = new(PaygenticTelemetry.Name);

    public MeteringMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(PaygenticTelemetry.Name) ?? SharedMeter;
        Authorized = meter.CreateCounter<long>("paygentic.metering.authorized", description: "Operations authorized.");
        Denied = meter.CreateCounter<long>("paygentic.metering.denied", description: "Operations refused (payment required).");
        Executed = meter.CreateCounter<long>("paygentic.metering.executed", description: "Guarded work that ran (tag outcome=success|failure).");
        Reported = meter.CreateCounter<long>("paygentic.metering.reported", description: "Reports accepted by Paygentic.");
        Queued = meter.CreateCounter<long>("paygentic.metering.queued", description: "Reports not delivered at once, left to the background reporter.");
        DeadLettered = meter.CreateCounter<long>("paygentic.metering.dead_lettered", description: "Reports dead-lettered (tag reason).");
        DeliveryFailures = meter.CreateCounter<long>("paygentic.metering.delivery_failures", description: "Transient delivery failures (retried later).");
        PoolHits = meter.CreateCounter<long>("paygentic.metering.pool.hits", description: "Authorizations served by a pooled reservation.");
        PoolMisses = meter.CreateCounter<long>("paygentic.metering.pool.misses", description: "Authorizations that created a reservation.");
        OrphanHolds = meter.CreateCounter<long>("paygentic.metering.possible_orphan_holds", description: "Reservation calls whose answer was lost: funds may be held until the hold expires.");
        Recovered = meter.CreateCounter<long>("paygentic.metering.recovered", description: "Unfinished operations of an earlier process handled at start (tag action).");
        Meter = meter;
    }

    public Meter Meter { get; }

    public Counter<long> Authorized { get; }

    public Counter<long> Denied { get; }

    public Counter<long> Executed { get; }

    public Counter<long> Reported { get; }

    public Counter<long> Queued { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> DeliveryFailures { get; }

    public Counter<long> PoolHits { get; }

    public Counter<long> PoolMisses { get; }

    public Counter<long> OrphanHolds { get; }

    public Counter<long> Recovered { get; }

    /// <summary>Registers the outbox gauges, read from the reporter when observed.</summary>
    public void ObserveReporter(Func<int> depth, Func<double> oldestAgeSeconds, Func<int> deadLetters)
    {
        Meter.CreateObservableGauge("paygentic.metering.outbox.depth", depth, description: "Reports waiting for delivery.");
        Meter.CreateObservableGauge("paygentic.metering.outbox.oldest_age", oldestAgeSeconds, unit: "s", description: "Age of the oldest report waiting for delivery.");
        Meter.CreateObservableGauge("paygentic.metering.outbox.dead_letters", deadLetters, description: "Dead letters waiting for a person.");
    }

    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) =>
        PaygenticTelemetry.ActivitySource.StartActivity(name, kind);
}
