using Paygentic.Sdk;
using Paygentic.Sdk.Subscriptions;

namespace CodeRunner.Billing;

/// <summary>
/// Gets a pending subscription paid. A checkout on a loopback host is an emulator's (embedded or standalone), whose
/// checkout page pays on POST, so the sample pays it itself; any other checkout is a real payment page for a person:
/// the URL is printed and the subscription polled until it is active.
/// </summary>
internal sealed class CheckoutFollower(IPaygenticClient paygentic, TextWriter log, TimeSpan pollTimeout, TimeSpan pollInterval)
{
    public async Task CompleteAsync(string subscriptionId, Uri checkoutUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkoutUrl);
        if (checkoutUrl.IsLoopback)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using HttpResponseMessage paid = await http.PostAsync(checkoutUrl, content: null, cancellationToken).ConfigureAwait(false);
            paid.EnsureSuccessStatusCode();
            await log.WriteLineAsync($"Checkout {checkoutUrl} paid (loopback emulator)").ConfigureAwait(false);
        }
        else
        {
            await log.WriteLineAsync($"Open this checkout to pay the prefund: {checkoutUrl}").ConfigureAwait(false);
            await log.WriteLineAsync($"Waiting up to {pollTimeout.TotalMinutes:0.#} min for subscription {subscriptionId} to become active…").ConfigureAwait(false);
        }

        await WaitUntilActiveAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitUntilActiveAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(pollTimeout);
        try
        {
            while (true)
            {
                Subscription subscription = await paygentic.Subscriptions.GetAsync(subscriptionId, timeout.Token).ConfigureAwait(false);
                if (subscription.Status == SubscriptionStatus.Active)
                {
                    await log.WriteLineAsync($"Subscription {subscriptionId} is active").ConfigureAwait(false);
                    return;
                }

                await Task.Delay(pollInterval, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Subscription {subscriptionId} was not active within {pollTimeout}: the checkout was not paid.");
        }
    }
}
