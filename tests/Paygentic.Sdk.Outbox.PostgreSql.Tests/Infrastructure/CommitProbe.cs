using Npgsql;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;

/// <summary>
/// Records, from inside a write's own transaction, the <c>synchronous_commit</c> its commit will use and the
/// transaction's id: a probe row is written by the write itself (<see cref="Write"/>) or by a trigger on the entries
/// table (<see cref="WatchEntriesAsync"/>). A gate (an advisory lock the test holds) keeps both group-commit slots busy,
/// so the writes queued meanwhile are deterministically sent together as one batch.
/// </summary>
internal sealed class CommitProbe
{
    private readonly SchemaFixture _db;
    private readonly string _schema;
    private readonly string _quoted;
    private readonly long _gateKey = Random.Shared.Next(1, int.MaxValue);

    private CommitProbe(SchemaFixture db, string schema)
    {
        _db = db;
        _schema = schema;
        _quoted = "\"" + schema + "\"";
    }

    /// <summary>Creates the probe table in <paramref name="schema"/> (which must exist).</summary>
    public static async Task<CommitProbe> CreateAsync(SchemaFixture db, string schema)
    {
        await db.ExecuteInAsync(schema, "CREATE TABLE {s}.commit_probe (tag text NOT NULL, setting text NOT NULL, xact text NOT NULL)");
        return new CommitProbe(db, schema);
    }

    /// <summary>A write that records its own transaction's setting under <paramref name="tag"/>.</summary>
    public WriteStatement Write(string tag, bool relaxed) => new(
        $"INSERT INTO {_quoted}.commit_probe (tag, setting, xact) VALUES ($1, current_setting('synchronous_commit'), pg_current_xact_id()::text)",
        [tag],
        relaxed);

    /// <summary>A write that fails (a NOT NULL violation, not retryable).</summary>
    public WriteStatement Failing(bool relaxed) => new(
        $"INSERT INTO {_quoted}.commit_probe (tag, setting, xact) VALUES (NULL, 'x', 'x')", [], relaxed);

    /// <summary>Every insert into or update of the entries table records a probe tagged <c>operation_id/state</c>.</summary>
    public Task WatchEntriesAsync() => _db.ExecuteInAsync(_schema, """
        CREATE FUNCTION {s}.probe_entries() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            INSERT INTO commit_probe (tag, setting, xact)
            VALUES (NEW.operation_id || '/' || NEW.state, current_setting('synchronous_commit'), pg_current_xact_id()::text);
            RETURN NEW;
        END $f$;
        CREATE TRIGGER probe_entries BEFORE INSERT OR UPDATE ON {s}.entries FOR EACH ROW EXECUTE FUNCTION {s}.probe_entries();
        """.Replace("INSERT INTO commit_probe", $"INSERT INTO {_quoted}.commit_probe", StringComparison.Ordinal));

    /// <summary>The setting each probe with <paramref name="tag"/> saw (one per row).</summary>
    public async Task<IReadOnlyList<string>> SettingsAsync(string tag) =>
        [.. (await RowsAsync(tag)).Select(r => r.Setting)];

    /// <summary>The transaction id of the single probe with <paramref name="tag"/>.</summary>
    public async Task<string> XactAsync(string tag) => (await RowsAsync(tag)).Single().Xact;

    /// <summary>
    /// Holds the gate and queues two gated writes on <paramref name="writer"/>, returning once each waits for the gate
    /// in a batch of its own (both slots busy): what is queued next is sent as one batch when the gate opens.
    /// </summary>
    public async Task<Gate> CloseGateAsync(StatementBatchWriter writer)
    {
        var holder = await _db.Admin.OpenConnectionAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", holder) { Parameters = { new() { Value = _gateKey } } })
        {
            await take.ExecuteNonQueryAsync();
        }

        var blocked = new List<Task<int>>();
        for (var slot = 1; slot <= 2; slot++)
        {
            blocked.Add(writer.WriteAsync(Gated("gate-" + slot), CancellationToken.None));
            var waiting = slot;
            await Guard.FleetHarness.EventuallyAsync(async () => await WaitersAsync() == waiting, $"{waiting} batches waiting at the gate");
        }

        return new Gate(holder, _gateKey, blocked);
    }

    private WriteStatement Gated(string tag) => new(
        $"INSERT INTO {_quoted}.commit_probe (tag, setting, xact) SELECT $1, current_setting('synchronous_commit'), pg_current_xact_id()::text FROM (SELECT pg_advisory_xact_lock_shared($2)) AS gate",
        [tag, _gateKey]);

    private Task<long> WaitersAsync() => _db.ScalarInAsync<long>(
        _schema, "SELECT count(DISTINCT pid) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid::bigint = $1", _gateKey);

    private async Task<List<(string Setting, string Xact)>> RowsAsync(string tag)
    {
        var rows = new List<(string, string)>();
        await using var command = _db.Admin.CreateCommand($"SELECT setting, xact FROM {_quoted}.commit_probe WHERE tag = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = tag });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>The held gate: opening it lets the two gated batches commit, then what queued behind them.</summary>
    internal sealed class Gate(NpgsqlConnection holder, long key, IReadOnlyList<Task<int>> blocked)
    {
        public async Task OpenAsync()
        {
            await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", holder) { Parameters = { new() { Value = key } } })
            {
                await release.ExecuteNonQueryAsync();
            }

            await holder.DisposeAsync();
            await Task.WhenAll(blocked).WaitAsync(Guard.FleetHarness.Bound);
        }
    }
}
