using System.Collections.ObjectModel;

namespace Paygentic.Sdk.Metering;

/// <summary>
/// Given to the guarded work so it can record what it actually used (e.g. execution milliseconds) and metadata while
/// it runs. A recorded quantity replaces the estimate of the same metric; metrics not recorded are reported at their
/// estimate; record 0 to charge nothing for a metric. Thread-safe.
/// </summary>
public sealed class MeteringScope
{
    // Made on first use (most work records nothing, and a scope lives for one operation): see Gate.
    private Lock? _gate;

    // Created on first use: most operations record one quantity or none, and a scope lives for one operation.
    private Dictionary<string, long>? _quantities;
    private Dictionary<string, string>? _metadata;

    /// <summary>Creates a scope for a ticket (the guard does this; public for tests of your own work delegates).</summary>
    /// <param name="ticket">The authorization the work runs under.</param>
    public MeteringScope(MeteringTicket ticket) => Ticket = ticket ?? throw new ArgumentNullException(nameof(ticket));

    /// <summary>The authorization the work runs under.</summary>
    public MeteringTicket Ticket { get; }

    /// <summary>The operation id.</summary>
    public string OperationId => Ticket.OperationId;

    /// <summary>The customer.</summary>
    public string CustomerId => Ticket.CustomerId;

    /// <summary>
    /// Sets the actual quantity of a metric, replacing its estimate and anything set or added before for it. To count up
    /// as the work goes, use <see cref="AddQuantity"/>.
    /// </summary>
    /// <param name="metric">The billable metric (legacy) or event data property (standard).</param>
    /// <param name="quantity">Units used, ≥ 0.</param>
    public void SetQuantity(string metric, long quantity)
    {
        Validate(metric, quantity);
        lock (Gate)
        {
            (_quantities ??= new(StringComparer.Ordinal))[metric] = quantity;
        }
    }

    /// <summary>
    /// Adds to the actual quantity of a metric, starting from 0 (not from the estimate). To state the total once, use
    /// <see cref="SetQuantity"/>.
    /// </summary>
    /// <param name="metric">The billable metric (legacy) or event data property (standard).</param>
    /// <param name="quantity">Units to add, ≥ 0.</param>
    public void AddQuantity(string metric, long quantity)
    {
        Validate(metric, quantity);
        lock (Gate)
        {
            _quantities ??= new(StringComparer.Ordinal);
            _quantities[metric] = checked(_quantities.GetValueOrDefault(metric) + quantity);
        }
    }

    /// <summary>Sets a metadata entry sent with the report.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void SetMetadata(string key, string value)
    {
        Guard.NotBlank(key);
        ArgumentNullException.ThrowIfNull(value);
        lock (Gate)
        {
            (_metadata ??= new(StringComparer.Ordinal))[key] = value;
        }
    }

    /// <summary>A copy of the quantities recorded so far.</summary>
    public IReadOnlyDictionary<string, long> RecordedQuantities
    {
        get
        {
            return (IReadOnlyDictionary<string, long>?)SnapshotQuantities() ?? ReadOnlyDictionary<string, long>.Empty;
        }
    }

    /// <summary>A copy of the metadata set so far.</summary>
    public IReadOnlyDictionary<string, string> Metadata
    {
        get
        {
            return (IReadOnlyDictionary<string, string>?)SnapshotMetadata() ?? ReadOnlyDictionary<string, string>.Empty;
        }
    }

    /// <summary>A copy of the recorded quantities, or null when none were recorded (no copy to make).</summary>
    internal Dictionary<string, long>? SnapshotQuantities()
    {
        if (Volatile.Read(ref _gate) is not { } gate)
        {
            return null;
        }

        lock (gate)
        {
            return _quantities is { Count: > 0 } quantities ? new Dictionary<string, long>(quantities, StringComparer.Ordinal) : null;
        }
    }

    /// <summary>A copy of the metadata, or null when none was set.</summary>
    internal Dictionary<string, string>? SnapshotMetadata()
    {
        if (Volatile.Read(ref _gate) is not { } gate)
        {
            return null;
        }

        lock (gate)
        {
            return _metadata is { Count: > 0 } metadata ? new Dictionary<string, string>(metadata, StringComparer.Ordinal) : null;
        }
    }

    // Whoever records first makes the lock; a snapshot that finds none knows nothing was recorded.
    private Lock Gate => Volatile.Read(ref _gate) ?? Interlocked.CompareExchange(ref _gate, new Lock(), null) ?? _gate!;

    private static void Validate(string metric, long quantity)
    {
        Guard.NotBlank(metric);
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
    }
}
