using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Testing;

/// <summary>
/// An outbox in process memory. <b>For tests only:</b> everything in it is lost when the process exits, which breaks
/// the guard's promise never to lose a report. Use the SQLite outbox (<c>AddSqliteOutbox</c>) in production. With
/// dependency injection: <c>AddMeteringGuard(...).UseOutbox(_ => new InMemoryUsageOutbox())</c>.
/// </summary>
public sealed class InMemoryUsageOutbox : IUsageOutbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Sequence, OutboxEntry Entry)> _entries = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>How many entries it holds (all states).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task UpsertAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                var sequence = _entries.TryGetValue(entry.OperationId, out var existing) ? existing.Sequence : ++_sequence;
                _entries[entry.OperationId] = (sequence, entry);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> TryAddAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            return Task.FromResult(_entries.TryAdd(entry.OperationId, (++_sequence, entry)));
        }
    }

    /// <inheritdoc />
    public Task RemoveAsync(IReadOnlyList<string> operationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        lock (_gate)
        {
            foreach (var id in operationIds)
            {
                _entries.Remove(id);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<OutboxEntry?> GetAsync(string operationId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.TryGetValue(operationId, out var e) ? e.Entry : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> LoadAsync(OutboxEntryState state, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var found = new List<(long Sequence, OutboxEntry Entry)>();
            foreach (var (_, value) in _entries)
            {
                if (value.Entry.State == state)
                {
                    found.Add(value);
                }
            }

            found.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
            var list = new OutboxEntry[found.Count];
            for (var i = 0; i < list.Length; i++)
            {
                list[i] = found[i].Entry;
            }

            return Task.FromResult<IReadOnlyList<OutboxEntry>>(list);
        }
    }
}
