using CodeRunner.Server.Configuration;
using CodeRunner.Server.Storage;
using Paygentic.Sdk;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Subscriptions;

namespace CodeRunner.Server.Accounts;

/// <summary>
/// Sign-up, token rotation, the account's state and its billing portal. A sign-up creates the Paygentic customer
/// (idempotent by e-mail) and a prefunded subscription; until the checkout is paid, submissions are refused with 402.
/// </summary>
internal sealed class AccountService(AccountStore accounts, IPaygenticClient paygentic, PaygenticTarget target, ServerSettings settings)
{
    public async Task<SignUpResult> SignUpAsync(SignUpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string token = ApiTokens.New();
        var account = new AccountRecord
        {
            Id = ApiTokens.NewId("acct_"),
            Email = request.Email,
            Name = request.Name,
            TokenHash = ApiTokens.Hash(token),
            PlanId = settings.PlanId,
            CreatedAt = DateTimeOffset.UtcNow,
        };

        // The row claims the e-mail first: two concurrent sign-ups cannot both get a token for one address.
        if (!await accounts.TryInsertAsync(account, cancellationToken).ConfigureAwait(false))
        {
            return SignUpResult.Duplicate;
        }

        try
        {
            CreateCustomerResult customer = await paygentic.Customers.CreateAsync(new CreateCustomerRequest
            {
                MerchantId = target.MerchantId,
                Consumer = new NewConsumer
                {
                    Name = request.Name,
                    Email = request.Email,
                    Address = new Address { Country = request.Country, State = request.State, ZipCode = request.ZipCode, City = request.City, Line1 = request.Line1 },
                },
            }, cancellationToken).ConfigureAwait(false);
            CreateSubscriptionResult created = await paygentic.Subscriptions.CreateAsync(new CreateSubscriptionRequest
            {
                Name = "CodeRunner " + request.Email,
                PlanId = settings.PlanId,
                CustomerId = customer.CustomerId,
                StartedAt = DateTimeOffset.UtcNow,
                PrefundAmount = settings.Catalogue.PrefundUsd,
            }, cancellationToken).ConfigureAwait(false);
            Uri? checkout = created.Subscription.Payment is PendingSubscriptionPayment pending ? pending.CheckoutUrl : null;
            await accounts.CompleteSignUpAsync(account.Id, customer.CustomerId, created.Subscription.Id, checkout, cancellationToken).ConfigureAwait(false);
            account = account with { CustomerId = customer.CustomerId, SubscriptionId = created.Subscription.Id, CheckoutUrl = checkout };
            return new SignUpResult(account, token, created.Subscription.Status == SubscriptionStatus.Active ? null : checkout);
        }
        catch
        {
            // No half-made account: the e-mail is free again and no token works.
            await accounts.DeleteAsync(account.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new token for the account; the presented one stops working. Null when it was rotated meanwhile.</summary>
    public async Task<string?> RotateAsync(AccountRecord account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        string token = ApiTokens.New();
        return await accounts.RotateAsync(account.Id, account.TokenHash, ApiTokens.Hash(token), cancellationToken).ConfigureAwait(false)
            ? token
            : null;
    }

    public async Task<SubscriptionStatus?> SubscriptionStatusAsync(AccountRecord account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.SubscriptionId is null)
        {
            return null;
        }

        Subscription subscription = await paygentic.Subscriptions.GetAsync(account.SubscriptionId, cancellationToken).ConfigureAwait(false);
        return subscription.Status;
    }

    /// <summary>A fresh, short-lived portal link (each is single-purpose; never cached).</summary>
    public async Task<Uri> PortalLinkAsync(AccountRecord account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        SubscriptionPortal portal = await paygentic.Subscriptions.CreatePortalLinkAsync(
            account.SubscriptionId ?? throw new InvalidOperationException("The account has no subscription yet."), TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        return portal.Url;
    }
}

/// <summary>The outcome of a sign-up: the account and its one-time token, or a duplicate e-mail.</summary>
internal sealed record SignUpResult(AccountRecord? Account, string? Token, Uri? CheckoutUrl)
{
    public static SignUpResult Duplicate { get; } = new(null, null, null);

    public bool IsDuplicate => Account is null;
}

/// <summary>Which merchant the server bills for (the emulator's demo merchant, or PAYGENTIC_MERCHANT_ID).</summary>
internal sealed record PaygenticTarget(string MerchantId, Uri BaseUrl, bool IsEmbedded);
