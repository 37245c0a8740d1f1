using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Accounts;

/// <summary>
/// The ready-to-use account printed at start: created (and, on a loopback emulator, its checkout paid) the first time,
/// given a fresh token on every start since only the token's hash is kept.
/// </summary>
internal static class DemoAccount
{
    public const string Email = "demo@coderunner.example";

    public static async Task<string> EnsureAsync(AccountService service, AccountStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(store);
        AccountRecord? existing = await store.FindByEmailAsync(Email, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return await service.RotateAsync(existing, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The demo account's token changed while the server started.");
        }

        SignUpResult created = await service.SignUpAsync(new SignUpRequest("CodeRunner Demo", Email, "US", "CA", "94105", null, null), cancellationToken).ConfigureAwait(false);
        if (created.CheckoutUrl is { IsLoopback: true } checkout)
        {
            // The emulator's checkout pays on POST; a real checkout is for a person, so it is only printed.
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using HttpResponseMessage paid = await http.PostAsync(checkout, content: null, cancellationToken).ConfigureAwait(false);
            paid.EnsureSuccessStatusCode();
        }

        return created.Token!;
    }
}
