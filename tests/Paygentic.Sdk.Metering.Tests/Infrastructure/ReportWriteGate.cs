using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering.Tests.Infrastructure;

/// <summary>
/// In front of a real outbox: holds the writes of completed reports until the test lets them go, or refuses them (a full
/// disk); everything else is passed through.
/// </summary>
internal sealed class ReportWriteGate(IUsageOutbox inner) : IUsageOutbox
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _proceed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether report writes wait for <see cref="Proceed"/>.</summary>
    public bool Hold { get; set; }

    /// <summary>Whether report writes fail.</summary>
    public bool Refuse { get; set; }

    /// <summary>How many report writes were refused.</summary>
    public int RefusedWrites { get; private set; }

    /// <summary>Completes when a report write has arrived (and, with <see cref="Hold"/>, waits).</summary>
    public Task Entered => _entered.Task;

    /// <summary>Lets held report writes go on to the outbox.</summary>
    public void Proceed() => _proceed.TrySetResult();

    public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public async Task UpsertAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Any(e => e.State == OutboxEntryState.Pending))
        {
            _entered.TrySetResult();
            if (Hold)
            {
                await _proceed.Task.ConfigureAwait(false);
            }

            if (Refuse)
            {
                RefusedWrites++;
                throw new IOException("disk full");
            }
        }

        await inner.UpsertAsync(entries, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> TryAddAsync(OutboxEntry entry, CancellationToken cancellationToken) => inner.TryAddAsync(entry, cancellationToken);

    public Task RemoveAsync(IReadOnlyList<string> operationIds, CancellationToken cancellationToken) => inner.RemoveAsync(operationIds, cancellationToken);

    public Task<OutboxEntry?> GetAsync(string operationId, CancellationToken cancellationToken) => inner.GetAsync(operationId, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> LoadAsync(OutboxEntryState state, CancellationToken cancellationToken) => inner.LoadAsync(state, cancellationToken);
}
