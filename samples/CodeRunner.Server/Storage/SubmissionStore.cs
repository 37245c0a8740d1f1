using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CodeRunner.Server.Storage;

/// <summary>
/// Submissions in the database. State changes are single conditional UPDATEs, so a worker claiming a submission and
/// a DELETE cancelling it cannot both win.
/// </summary>
internal sealed class SubmissionStore(ServerDatabase database)
{
    private const string Columns = "seq, token, account_id, status_id, input_json, outcome_json, ticket_json, billing, charge_nanos, created_at, finished_at";

    public async Task InsertAsync(SubmissionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO submissions (token, account_id, status_id, input_json, ticket_json, billing, created_at)
            VALUES ($token, $account, $status, $input, $ticket, $billing, $created)
            """;
        command.Parameters.AddWithValue("$token", record.Token);
        command.Parameters.AddWithValue("$account", record.AccountId);
        command.Parameters.AddWithValue("$status", record.StatusId);
        command.Parameters.AddWithValue("$input", JsonSerializer.Serialize(record.Input, StorageJsonContext.Default.SubmissionInput));
        command.Parameters.AddWithValue("$ticket", (object?)record.TicketJson ?? DBNull.Value);
        command.Parameters.AddWithValue("$billing", record.Billing.ToString());
        command.Parameters.AddWithValue("$created", Stamp(record.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SubmissionRecord?> GetAsync(string token, CancellationToken cancellationToken)
    {
        IReadOnlyList<SubmissionRecord> found = await QueryAsync($"SELECT {Columns} FROM submissions WHERE token = $a", token, null, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<SubmissionRecord>> ListAsync(string accountId, int offset, int limit, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM submissions WHERE account_id = $a AND status_id <> 0 ORDER BY seq DESC LIMIT {limit} OFFSET {offset}", accountId, null, cancellationToken);

    /// <summary>Everything a restart must finish: deletions, queued and running submissions, unbilled results.</summary>
    public Task<IReadOnlyList<SubmissionRecord>> LoadUnfinishedAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM submissions WHERE status_id IN (0, 1, 2) OR billing = 'Authorized' ORDER BY seq", null, null, cancellationToken);

    public async Task<long> CountAsync(string accountId, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM submissions WHERE account_id = $a AND status_id <> 0";
        command.Parameters.AddWithValue("$a", accountId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Moves a submission from <paramref name="from"/> to <paramref name="to"/>; false when it was not in <paramref name="from"/>.</summary>
    public async Task<bool> TryTransitionAsync(string token, int from, int to, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE submissions SET status_id = $to WHERE token = $token AND status_id = $from";
        command.Parameters.AddWithValue("$token", token);
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Stores the verdict; the billing state stays as it is until the guard has been told.</summary>
    public async Task SaveOutcomeAsync(string token, int statusId, SubmissionOutcome outcome, DateTimeOffset finishedAt, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE submissions SET status_id = $status, outcome_json = $outcome, finished_at = $finished WHERE token = $token";
        command.Parameters.AddWithValue("$token", token);
        command.Parameters.AddWithValue("$status", statusId);
        command.Parameters.AddWithValue("$outcome", JsonSerializer.Serialize(outcome, StorageJsonContext.Default.SubmissionOutcome));
        command.Parameters.AddWithValue("$finished", Stamp(finishedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the end of billing. One conditional UPDATE: settling the same submission twice (after a restart) changes
    /// nothing the second time. The account's spend is the sum of these charges, so it needs no second write.
    /// </summary>
    public async Task SetBillingAsync(string token, BillingState state, long chargeNanos, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE submissions SET billing = $state, charge_nanos = $charge, ticket_json = NULL WHERE token = $token AND billing = 'Authorized'";
        command.Parameters.AddWithValue("$token", token);
        command.Parameters.AddWithValue("$state", state.ToString());
        command.Parameters.AddWithValue("$charge", chargeNanos);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the account has been charged so far, in nanodollars.</summary>
    public async Task<long> SpendAsync(string accountId, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(charge_nanos), 0) FROM submissions WHERE account_id = $a AND billing = 'Charged'";
        command.Parameters.AddWithValue("$a", accountId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task DeleteAsync(string token, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DELETE FROM submissions WHERE token = $token";
        command.Parameters.AddWithValue("$token", token);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Synchronous look-up for the guard's recovery callback, which runs while the guard starts.</summary>
    public bool Exists(string token)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM submissions WHERE token = $token";
        command.Parameters.AddWithValue("$token", token);
        return (long)command.ExecuteScalar()! > 0;
    }

    private async Task<IReadOnlyList<SubmissionRecord>> QueryAsync(string sql, string? a, string? b, CancellationToken cancellationToken)
    {
        await using SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        if (a is not null)
        {
            command.Parameters.AddWithValue("$a", a);
        }

        if (b is not null)
        {
            command.Parameters.AddWithValue("$b", b);
        }

        var rows = new List<SubmissionRecord>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    private static SubmissionRecord Read(SqliteDataReader r) => new()
    {
        Seq = r.GetInt64(0),
        Token = r.GetString(1),
        AccountId = r.GetString(2),
        StatusId = r.GetInt32(3),
        Input = JsonSerializer.Deserialize(r.GetString(4), StorageJsonContext.Default.SubmissionInput)!,
        Outcome = r.IsDBNull(5) ? null : JsonSerializer.Deserialize(r.GetString(5), StorageJsonContext.Default.SubmissionOutcome),
        TicketJson = r.IsDBNull(6) ? null : r.GetString(6),
        Billing = Enum.Parse<BillingState>(r.GetString(7)),
        ChargeNanos = r.IsDBNull(8) ? null : r.GetInt64(8),
        CreatedAt = DateTimeOffset.Parse(r.GetString(9), CultureInfo.InvariantCulture),
        FinishedAt = r.IsDBNull(10) ? null : DateTimeOffset.Parse(r.GetString(10), CultureInfo.InvariantCulture),
    };

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
