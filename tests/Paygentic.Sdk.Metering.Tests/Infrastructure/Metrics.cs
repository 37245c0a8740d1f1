using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Paygentic.Sdk.Metering.Tests.Infrastructure;

/// <summary>
/// A meter factory of one test: its meters are scoped to it, so a <see cref="MetricCollector{T}"/> over it sees this
/// test's guard only, never another test running in parallel.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    /// <summary>A collector of one of the guard's counters on this factory's meters.</summary>
    public MetricCollector<long> Counter(string name) => new(this, "Paygentic.Sdk", name);

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
