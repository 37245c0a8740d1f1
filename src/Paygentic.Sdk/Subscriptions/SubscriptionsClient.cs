using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml;
using Paygentic.Sdk.Http;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Subscriptions;

/// <summary>The <see cref="ISubscriptionsClient"/> over the generated Refit client.</summary>
internal sealed class SubscriptionsClient(ISubscriptionsApi api, ClientContext context) : ISubscriptionsClient
{
    private static readonly TimeSpan MaxPortalLifetime = TimeSpan.FromDays(7);

    public async Task<CreateSubscriptionResult> CreateAsync(CreateSubscriptionRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotNull(request);
        Guard.NotBlank(request.Name, "request.Name");
        Guard.NotBlank(request.PlanId, "request.PlanId");
        if (string.IsNullOrWhiteSpace(request.CustomerId) == (request.Customer is null))
        {
            throw new ArgumentException("Give exactly one of request.CustomerId and request.Customer.", nameof(request));
        }

        if (request.PrefundAmount is < 0 || request.MinimumAccountBalance is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), "PrefundAmount and MinimumAccountBalance must not be negative.");
        }

        if (request.RenewalReminderDays is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.RenewalReminderDays, "RenewalReminderDays must be between 1 and 30.");
        }

        if (request.PaymentTermDays is < 0 or > 365)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.PaymentTermDays, "PaymentTermDays must be between 0 and 365.");
        }

        if (request.Metadata is { } metadata)
        {
            foreach (var (key, value) in metadata)
            {
                if (value?.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                {
                    throw new ArgumentException($"request.Metadata[\"{key}\"] must be a string, a number or a boolean.", nameof(request));
                }
            }
        }

        var body = request.StartedAt is null ? request with { StartedAt = context.Time.GetUtcNow() } : request;
        var result = await context.Invoker.SendAsync(() => api.CreateAsync(body, cancellationToken), PaygenticJsonContext.Default.Subscription, cancellationToken).ConfigureAwait(false);
        return new CreateSubscriptionResult(result.Value, result.StatusCode == HttpStatusCode.Created);
    }

    public async Task<Subscription> GetAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(subscriptionId);
        return (await context.Invoker.SendAsync(() => api.GetAsync(subscriptionId, cancellationToken), PaygenticJsonContext.Default.Subscription, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<Page<Subscription>> ListPageAsync(SubscriptionListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SubscriptionListOptions();
        options.ValidatePaging();
        var result = await context.Invoker.SendAsync(
            () => api.ListAsync(
                options.Limit.ToString(CultureInfo.InvariantCulture),
                options.Offset.ToString(CultureInfo.InvariantCulture),
                options.CustomerId,
                options.ConsumerId,
                options.MerchantId,
                options.Status?.Value,
                options.StartedBefore?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                cancellationToken),
            PaygenticJsonContext.Default.ListEnvelopeSubscription,
            cancellationToken).ConfigureAwait(false);
        return result.Value.ToPage(options.Limit, options.Offset);
    }

    public IAsyncEnumerable<Subscription> ListAsync(SubscriptionListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SubscriptionListOptions();
        options.ValidatePaging();
        return Pager.EnumerateAsync(
            (offset, ct) => ListPageAsync(
                new SubscriptionListOptions { CustomerId = options.CustomerId, ConsumerId = options.ConsumerId, MerchantId = options.MerchantId, Status = options.Status, StartedBefore = options.StartedBefore, Limit = options.Limit, Offset = offset },
                ct),
            options.Offset,
            cancellationToken);
    }

    public async Task<Subscription> TerminateAsync(string subscriptionId, string reason, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(subscriptionId);
        Guard.NotBlank(reason);
        var body = new TerminationBody(reason);
        return (await context.Invoker.SendAsync(() => api.TerminateAsync(subscriptionId, body, cancellationToken), PaygenticJsonContext.Default.Subscription, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<SubscriptionPortal> CreatePortalLinkAsync(string subscriptionId, TimeSpan? expiresIn = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(subscriptionId);
        if (expiresIn is { } lifetime && (lifetime < TimeSpan.FromSeconds(1) || lifetime > MaxPortalLifetime || lifetime.Ticks % TimeSpan.TicksPerSecond != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(expiresIn), expiresIn, "expiresIn must be whole seconds between 1 second and 7 days.");
        }

        // ISO-8601 duration, e.g. PT10M; XmlConvert writes exactly that form.
        var body = new PortalLinkBody(expiresIn is { } e ? XmlConvert.ToString(e) : null);
        return (await context.Invoker.SendAsync(() => api.CreatePortalLinkAsync(subscriptionId, body, cancellationToken), PaygenticJsonContext.Default.SubscriptionPortal, cancellationToken).ConfigureAwait(false)).Value;
    }
}
