using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CodeRunner.Server.Storage;

/// <summary>Accounts in the database. Only token hashes are stored; a token is shown once, at sign-up or rotation.</summary>
internal sealed class AccountStore(ServerDatabase database)
{
    private const string Columns = "id, email, name, token_hash, customer_id, subscription_id, plan_id, checkout_url, created_at";
    private const int SqliteConstraint = 19;

    /// <summary>Claims the e-mail for a new account; false when an account (or a sign-up under way) already has it.</summary>
    public async Task<bool> TryInsertAsync(AccountRecord account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO accounts (id, email, name, token_hash, plan_id, created_at)
            VALUES ($id, $email, $name, $hash, $plan, $created)
            """;
        command.Parameters.AddWithValue("$id", account.Id);
        command.Parameters.AddWithValue("$email", account.Email);
        command.Parameters.AddWithValue("$name", account.Name);
        command.Parameters.AddWithValue("$hash", account.TokenHash);
        command.Parameters.AddWithValue("$plan", account.PlanId);
        command.Parameters.AddWithValue("$created", account.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            return false;
        }
    }

    public async Task CompleteSignUpAsync(string id, string customerId, string subscriptionId, Uri? checkoutUrl, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE accounts SET customer_id = $customer, subscription_id = $subscription, checkout_url = $checkout WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$customer", customerId);
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        command.Parameters.AddWithValue("$checkout", (object?)checkoutUrl?.ToString() ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM accounts WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the token hash, but only if <paramref name="currentHash"/> is still the current one.</summary>
    public async Task<bool> RotateAsync(string id, string currentHash, string newHash, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE accounts SET token_hash = $new WHERE id = $id AND token_hash = $current";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$current", currentHash);
        command.Parameters.AddWithValue("$new", newHash);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<AccountRecord?> FindByTokenHashAsync(string hash, CancellationToken cancellationToken) =>
        FindAsync("token_hash", hash, cancellationToken);

    public Task<AccountRecord?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        FindAsync("email", email, cancellationToken);

    public Task<AccountRecord?> FindByIdAsync(string id, CancellationToken cancellationToken) =>
        FindAsync("id", id, cancellationToken);

    private async Task<AccountRecord?> FindAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM accounts WHERE {column} = $value";
        command.Parameters.AddWithValue("$value", value);
        await using SqliteDataReader r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new AccountRecord
        {
            Id = r.GetString(0),
            Email = r.GetString(1),
            Name = r.GetString(2),
            TokenHash = r.GetString(3),
            CustomerId = r.IsDBNull(4) ? null : r.GetString(4),
            SubscriptionId = r.IsDBNull(5) ? null : r.GetString(5),
            PlanId = r.GetString(6),
            CheckoutUrl = r.IsDBNull(7) ? null : new Uri(r.GetString(7)),
            CreatedAt = DateTimeOffset.Parse(r.GetString(8), CultureInfo.InvariantCulture),
        };
    }
}
