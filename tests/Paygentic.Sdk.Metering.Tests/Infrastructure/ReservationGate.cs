using System.Text.Json;

namespace Paygentic.Sdk.Metering.Tests.Infrastructure;

/// <summary>
/// In front of the emulator: records the <c>maxUses</c> of every reservation asked for, and holds back the answer to
/// one of them (by its order) until the test lets it go.
/// </summary>
internal sealed class ReservationGate(int holdRequest, HttpMessageHandler emulator) : DelegatingHandler(emulator)
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<int> _maxUses = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held request has been asked for (its answer is not given yet).</summary>
    public Task Held => _held.Task;

    /// <summary>The <c>maxUses</c> of each reservation asked for, in order.</summary>
    public IReadOnlyList<int> MaxUses
    {
        get
        {
            lock (_gate)
            {
                return [.. _maxUses];
            }
        }
    }

    public void Release() => _release.TrySetResult();

    /// <summary>Completes once at least <paramref name="count"/> reservations have been asked for.</summary>
    public async Task AskedAsync(int count)
    {
        while (true)
        {
            Task next;
            lock (_gate)
            {
                if (_maxUses.Count >= count)
                {
                    return;
                }

                next = _asked.Task;
            }

            await next.ConfigureAwait(false);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post || request.RequestUri?.AbsolutePath != "/v0/entitlements")
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        int order;
        TaskCompletionSource asked;
        lock (_gate)
        {
            _maxUses.Add(body.RootElement.GetProperty("maxUses").GetInt32());
            order = _maxUses.Count;
            asked = _asked;
            _asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        asked.TrySetResult();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (order == holdRequest)
        {
            _held.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}
