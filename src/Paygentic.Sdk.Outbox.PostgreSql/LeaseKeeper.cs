namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Renews an instance's lease and adopts expired instances' work on a timer. The interval runs on the system clock
/// whatever clock the store stamps rows with: leases are judged by the database's clock, and a test's fake clock must
/// not stop the heartbeat.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly OutboxInstanceLeases _leases;
    private readonly Func<CancellationToken, Task<int>> _adopt;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LeaseKeeper(OutboxInstanceLeases leases, TimeSpan interval, Func<CancellationToken, Task<int>> adopt)
    {
        _leases = leases;
        _adopt = adopt;
        _loop = Task.Run(() => RunAsync(interval, _stop.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            try
            {
                // A lost lease (it lapsed, e.g. the database was unreachable for longer than the lease) is taken again:
                // survivors may have adopted this instance's work meanwhile; a report both then hold carries one
                // idempotency key, so Paygentic charges it once.
                if (await _leases.RenewAsync(token).ConfigureAwait(false) is null)
                {
                    await _leases.RegisterAsync(token).ConfigureAwait(false);
                }

                await _adopt(token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // the database being away is retried on the next tick; the lease covers a few missed ones
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
#pragma warning restore CA1031
            {
            }
        }
    }
}
