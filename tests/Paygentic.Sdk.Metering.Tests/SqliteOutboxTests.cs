using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Metering.Tests.Infrastructure;
using Paygentic.Sdk.Outbox.Sqlite;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>The SQLite outbox on a real file.</summary>
public sealed class SqliteOutboxTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 4, 18, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task Entries_survive_reopening_and_leave_only_when_removed()
    {
        var path = _dir.File("nested/usage.db");
        await using (var outbox = new SqliteUsageOutbox(path))
        {
            await outbox.InitializeAsync(default);
            await outbox.UpsertAsync([GuardTests.PendingEntry("op-1", Start), GuardTests.PendingEntry("op-2", Start.AddSeconds(1))], default);
            await outbox.UpsertAsync([Authorized("op-3")], default);
            await outbox.RemoveAsync(["op-2", "missing"], default);
        }

        await using (var reopened = new SqliteUsageOutbox(path))
        {
            await reopened.InitializeAsync(default);
            var pending = await reopened.LoadAsync(OutboxEntryState.Pending, default);
            pending.Select(p => p.OperationId).Should().Equal("op-1");
            pending[0].Report!.IdempotencyKey.Should().Be("op-1:usage");
            pending[0].Report!.Quantities.Should().ContainKey("bm_basicsub");
            (await reopened.LoadAsync(OutboxEntryState.Authorized, default)).Single().Ticket.OperationId.Should().Be("op-3");
            (await reopened.GetAsync("op-2", default)).Should().BeNull();

            // Dead-letter, then requeue (replace in place by operation id).
            var dead = pending[0] with { State = OutboxEntryState.DeadLettered, DeadLetterReason = DeadLetterReason.Unpaid, LastError = "no funds" };
            await reopened.UpsertAsync([dead], default);
            (await reopened.LoadAsync(OutboxEntryState.Pending, default)).Should().BeEmpty();
            var letter = (await reopened.LoadAsync(OutboxEntryState.DeadLettered, default)).Single();
            letter.DeadLetterReason.Should().Be(DeadLetterReason.Unpaid);
            await reopened.UpsertAsync([letter with { State = OutboxEntryState.Pending, DeadLetterReason = null, RequeuedAt = Start.AddHours(1) }], default);
            (await reopened.LoadAsync(OutboxEntryState.Pending, default)).Single().RequeuedAt.Should().Be(Start.AddHours(1));
        }

        using var raw = new SqliteConnection($"Data Source={path};Pooling=False");
        raw.Open();
        using var command = raw.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(SqliteUsageOutbox.SchemaVersion);
        command.CommandText = "PRAGMA journal_mode";
        ((string)command.ExecuteScalar()!).Should().Be("wal");
    }

    [Fact]
    public async Task A_cancelled_call_writes_nothing_and_expired_tombstones_are_purged_in_one_statement()
    {
        await using var outbox = new SqliteUsageOutbox(_dir.File("cancel.db"));
        await outbox.InitializeAsync(default);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await outbox.Invoking(o => o.UpsertAsync([GuardTests.PendingEntry("op-c", Start)], cancelled.Token)).Should().ThrowAsync<OperationCanceledException>();
        (await outbox.GetAsync("op-c", default)).Should().BeNull();

        var old = GuardTests.PendingEntry("op-old", Start) with { State = OutboxEntryState.Delivered };
        var recent = GuardTests.PendingEntry("op-new", Start.AddHours(2)) with { State = OutboxEntryState.Delivered };
        await outbox.UpsertAsync([old, recent, GuardTests.PendingEntry("op-pending", Start)], default);
        (await outbox.RemoveWrittenBeforeAsync(OutboxEntryState.Delivered, Start.AddHours(1), default)).Should().Be(1);
        (await outbox.LoadAsync(OutboxEntryState.Delivered, default)).Select(e => e.OperationId).Should().Equal("op-new");
        (await outbox.GetAsync("op-pending", default)).Should().NotBeNull("only the state asked for is purged");
    }

    [Fact]
    public async Task Concurrent_writers_are_committed_together_and_all_land()
    {
        var path = _dir.File("group.db");
        await using var outbox = new SqliteUsageOutbox(path);
        await outbox.InitializeAsync(default);
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => Task.Run(() => outbox.UpsertAsync([GuardTests.PendingEntry("op-" + i, Start)], default))));
        (await outbox.LoadAsync(OutboxEntryState.Pending, default)).Should().HaveCount(2000);
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => outbox.RemoveAsync(["op-" + i], default)));
        (await outbox.LoadAsync(OutboxEntryState.Pending, default)).Should().BeEmpty();
    }

    [Fact]
    public async Task Every_write_lands_as_written_whether_its_caller_committed_it_or_another_did()
    {
        // One-row writes a caller commits itself are reused for that thread's next write; none may carry another's row.
        var path = _dir.File("reuse.db");
        await using var outbox = new SqliteUsageOutbox(path);
        await outbox.InitializeAsync(default);
        static OutboxEntry Entry(string id, long quantity)
        {
            var pending = GuardTests.PendingEntry(id, Start);
            return pending with { Report = pending.Report! with { Quantities = new Dictionary<string, long> { ["bm_basicsub"] = quantity } } };
        }

        for (var i = 0; i < 300; i++)
        {
            (await outbox.TryAddAsync(Authorized("seq-" + i), default)).Should().BeTrue();
            await outbox.UpsertAsync([Entry("seq-" + i, i + 1)], default);
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                var id = $"par-{caller}-{i}";
                (await outbox.TryAddAsync(Authorized(id), default)).Should().BeTrue();
                (await outbox.TryAddAsync(Authorized(id), default)).Should().BeFalse("the row is there: " + id);
                await outbox.UpsertAsync([Entry(id, (caller * 1000) + i + 1)], default);
            }
        })));

        var stored = (await outbox.LoadAsync(OutboxEntryState.Pending, default)).ToDictionary(e => e.OperationId);
        stored.Should().HaveCount(300 + (8 * 150));
        for (var i = 0; i < 300; i++)
        {
            stored["seq-" + i].Report!.Quantities["bm_basicsub"].Should().Be(i + 1);
        }

        for (var caller = 0; caller < 8; caller++)
        {
            for (var i = 0; i < 150; i++)
            {
                var entry = stored[$"par-{caller}-{i}"];
                entry.Ticket.OperationId.Should().Be($"par-{caller}-{i}");
                entry.Report!.Quantities["bm_basicsub"].Should().Be((caller * 1000) + i + 1);
            }
        }

        (await outbox.LoadAsync(OutboxEntryState.Authorized, default)).Should().BeEmpty();
    }

    [Fact]
    public void A_one_row_write_is_reused_only_by_the_thread_that_committed_it_unobserved()
    {
        var queue = new GroupCommitQueue<OutboxOperation>(16, _ => { }, e => e);
        var row = () => OutboxRow.From(GuardTests.PendingEntry("op", Start));

        // Committed by its own caller, no task asked of it before: the thread's next one-row write is the same object.
        var first = RowWrite.Rent(OutboxOperationKind.Upsert, row());
        queue.Submit(first).IsCompletedSuccessfully.Should().BeTrue();
        first.ReturnIfFinishedHere();
        var second = RowWrite.Rent(OutboxOperationKind.Insert, row());
        second.Should().BeSameAs(first);
        second.Kind.Should().Be(OutboxOperationKind.Insert);
        second.Inserted.Should().BeFalse();

        // Asked for its task before it was committed: someone may await it, so it is never reused.
        _ = second.Task;
        queue.Submit(second).IsCompletedSuccessfully.Should().BeTrue();
        second.ReturnIfFinishedHere();
        RowWrite.Rent(OutboxOperationKind.Upsert, row()).Should().NotBeSameAs(second);
    }

    [Fact]
    public async Task A_write_the_database_refuses_fails_only_its_own_caller_and_its_neighbours_land()
    {
        var path = _dir.File("refused.db");
        await using var outbox = new SqliteUsageOutbox(path);
        await outbox.InitializeAsync(default);
        using var go = new ManualResetEventSlim();

        // A null operation id breaks the table's NOT NULL rule inside SQLite, in whatever commit it shares with others.
        var writes = Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
        {
            go.Wait();
            var entry = GuardTests.PendingEntry("op-" + i, Start);
            await outbox.UpsertAsync([i % 50 == 7 ? entry with { OperationId = null! } : entry], default);
        })).ToArray();
        go.Set();
        await Task.WhenAll(writes).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(30));

        writes.Where((_, i) => i % 50 == 7).Should().OnlyContain(w => w.IsFaulted && w.Exception!.InnerException is UsageOutboxException);
        writes.Where((_, i) => i % 50 != 7).Should().OnlyContain(w => w.IsCompletedSuccessfully);
        (await outbox.LoadAsync(OutboxEntryState.Pending, default)).Should().HaveCount(294);
    }

    [Fact]
    public async Task An_upsert_of_several_entries_lands_whole_or_not_at_all()
    {
        var path = _dir.File("atomic.db");
        await using var outbox = new SqliteUsageOutbox(path);
        await outbox.InitializeAsync(default);
        var bad = GuardTests.PendingEntry("op-bad", Start) with { OperationId = null! };

        var act = () => outbox.UpsertAsync([GuardTests.PendingEntry("op-1", Start), bad, GuardTests.PendingEntry("op-2", Start)], default);

        await act.Should().ThrowAsync<UsageOutboxException>();
        (await outbox.LoadAsync(OutboxEntryState.Pending, default)).Should().BeEmpty("the first row was rolled back with the failing one");
        await outbox.UpsertAsync([GuardTests.PendingEntry("op-3", Start), GuardTests.PendingEntry("op-4", Start)], default);
        (await outbox.LoadAsync(OutboxEntryState.Pending, default)).Select(e => e.OperationId).Should().Equal("op-3", "op-4");
    }

    [Fact]
    public async Task Inserting_an_id_already_present_in_any_state_changes_nothing()
    {
        var path = _dir.File("insert.db");
        var dead = GuardTests.PendingEntry("op-dead", Start) with { State = OutboxEntryState.DeadLettered, DeadLetterReason = DeadLetterReason.Rejected };
        await using (var outbox = new SqliteUsageOutbox(path))
        {
            await outbox.InitializeAsync(default);
            (await outbox.TryAddAsync(Authorized("op-open"), default)).Should().BeTrue();
            await outbox.UpsertAsync([GuardTests.PendingEntry("op-pending", Start), dead], default);

            foreach (var id in new[] { "op-open", "op-pending", "op-dead" })
            {
                var before = (await outbox.GetAsync(id, default))!.ToJson();
                (await outbox.TryAddAsync(Authorized(id) with { CreatedAt = Start.AddDays(1) }, default)).Should().BeFalse(id + " is present");
                (await outbox.GetAsync(id, default))!.ToJson().Should().Be(before, "a refused insert leaves the row as it was");
            }
        }

        await using var reopened = new SqliteUsageOutbox(path);
        await reopened.InitializeAsync(default);
        (await reopened.LoadAsync(OutboxEntryState.Authorized, default)).Select(e => e.OperationId).Should().Equal("op-open");
        (await reopened.LoadAsync(OutboxEntryState.DeadLettered, default)).Single().CreatedAt.Should().Be(Start);
    }

    [Fact]
    public async Task Payloads_are_stored_as_text_and_rows_written_as_text_earlier_still_load()
    {
        var path = _dir.File("text.db");
        await using (var outbox = new SqliteUsageOutbox(path))
        {
            await outbox.InitializeAsync(default);
            await outbox.UpsertAsync([GuardTests.PendingEntry("op-new", Start)], default);
        }

        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var command = raw.CreateCommand();
            command.CommandText = "SELECT typeof(payload), payload FROM outbox WHERE operation_id = 'op-new'";
            using (var reader = command.ExecuteReader())
            {
                reader.Read().Should().BeTrue();
                reader.GetString(0).Should().Be("text", "the file stays readable as JSON text with any SQLite tool");
                reader.GetString(1).Should().Contain("\"idempotencyKey\":\"op-new:usage\"");
            }

            // A row as the earlier build wrote it: the JSON bound as a .NET string.
            command.CommandText = "INSERT INTO outbox (operation_id, state, payload, created_at, updated_at) VALUES ('op-old', 1, $p, 0, 0)";
            command.Parameters.AddWithValue("$p", GuardTests.PendingEntry("op-old", Start.AddSeconds(1)).ToJson());
            command.ExecuteNonQuery();
        }

        await using var reopened = new SqliteUsageOutbox(path);
        await reopened.InitializeAsync(default);
        var pending = await reopened.LoadAsync(OutboxEntryState.Pending, default);
        pending.Select(p => p.OperationId).Should().BeEquivalentTo(["op-new", "op-old"]);
        pending.Single(p => p.OperationId == "op-old").Report!.IdempotencyKey.Should().Be("op-old:usage");
    }

    [Fact]
    public async Task A_file_with_the_earlier_index_gets_live_rows_and_tombstones_indexed_apart_and_every_read_uses_an_index()
    {
        var path = _dir.File("earlier-index.db");
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var command = raw.CreateCommand();
            // The layout version 1 files were first written with: one index on (state, created_at) over every row.
            command.CommandText = $"""
                PRAGMA journal_mode = WAL;
                CREATE TABLE outbox (operation_id TEXT NOT NULL PRIMARY KEY, state INTEGER NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                CREATE INDEX ix_outbox_state_created ON outbox (state, created_at);
                PRAGMA application_id = {SqliteUsageOutbox.ApplicationId};
                PRAGMA user_version = 1;
                INSERT INTO outbox VALUES ('op-pending', {(int)OutboxEntryState.Pending}, $pending, 0, 0), ('op-delivered', {(int)OutboxEntryState.Delivered}, $delivered, {Start.ToUnixTimeMilliseconds()}, 0);
                """;
            command.Parameters.AddWithValue("$pending", GuardTests.PendingEntry("op-pending", Start).ToJson());
            command.Parameters.AddWithValue("$delivered", GuardTests.PendingEntry("op-delivered", Start).ToJson());
            command.ExecuteNonQuery();
        }

        await using (var outbox = new SqliteUsageOutbox(path))
        {
            await outbox.InitializeAsync(default);
            (await outbox.LoadAsync(OutboxEntryState.Pending, default)).Single().OperationId.Should().Be("op-pending");
            (await outbox.LoadAsync(OutboxEntryState.Delivered, default)).Single().OperationId.Should().Be("op-delivered");
            (await outbox.RemoveWrittenBeforeAsync(OutboxEntryState.Delivered, Start.AddSeconds(1), default)).Should().Be(1);
            (await outbox.RemoveWrittenBeforeAsync(OutboxEntryState.Pending, Start, default)).Should().Be(1, "a live row of that state written before is removed through its own index");
        }

        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var query = check.CreateCommand();
        query.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' ORDER BY name";
        using (var reader = query.ExecuteReader())
        {
            var names = new List<string>();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }

            names.Should().Equal("ix_outbox_delivered", "ix_outbox_live");
        }

        // The outbox's own reads: each must search an index, never scan the table (SQLite uses a partial index only when the
        // query names its condition).
        foreach (var (sql, index) in new[]
        {
            (SqliteOutboxStatements.LoadLiveSql, "ix_outbox_live"),
            (SqliteOutboxStatements.LoadDeliveredSql, "ix_outbox_delivered"),
            (SqliteOutboxStatements.PurgeLiveSql, "ix_outbox_live"),
            (SqliteOutboxStatements.PurgeDeliveredSql, "ix_outbox_delivered"),
        })
        {
            query.CommandText = "EXPLAIN QUERY PLAN " + sql;
            using var plan = query.ExecuteReader();
            var steps = new List<string>();
            while (plan.Read())
            {
                steps.Add(plan.GetString(3));
            }

            steps.Should().Contain(step => step.Contains("USING INDEX " + index, StringComparison.Ordinal), sql);
            steps.Should().NotContain(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal), "the index gives the order: " + sql);
        }
    }

    [Fact]
    public async Task A_new_file_has_only_the_two_partial_indexes()
    {
        var path = _dir.File("new-index.db");
        await using (var outbox = new SqliteUsageOutbox(path))
        {
            await outbox.InitializeAsync(default);
        }

        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var query = check.CreateCommand();
        query.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name";
        using var reader = query.ExecuteReader();
        var indexes = new List<(string Name, string Sql)>();
        while (reader.Read())
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }

        indexes.Select(i => i.Name).Should().Equal("ix_outbox_delivered", "ix_outbox_live");
        indexes[0].Sql.Should().EndWith("WHERE " + SqliteOutboxSchema.Tombstones);
        indexes[1].Sql.Should().EndWith("WHERE " + SqliteOutboxSchema.LiveRows);
    }

    [Fact]
    public async Task Disposing_while_writers_arrive_completes_or_refuses_each_write_and_keeps_every_completed_one()
    {
        var path = _dir.File("closing.db");
        var outbox = new SqliteUsageOutbox(path);
        await outbox.InitializeAsync(default);
        using var go = new ManualResetEventSlim();
        var writers = Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            go.Wait();
            await outbox.UpsertAsync([GuardTests.PendingEntry("op-" + i, Start)], default);
            return "op-" + i;
        })).ToArray();
        go.Set();

        // Dispose once a first write has landed, with the others still arriving (no sleep: the first completion is the cue).
        await Task.WhenAny(writers).WaitAsync(TimeSpan.FromSeconds(30));
        await outbox.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        var all = Task.WhenAll(writers);
        await all.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(30)); // none may hang
        writers.Where(w => w.IsFaulted && w.Exception!.InnerException is not ObjectDisposedException).Should().BeEmpty("a write either lands or is refused as disposed");
        var completed = writers.Where(w => w.IsCompletedSuccessfully).Select(w => w.Result).ToList();
        completed.Should().NotBeEmpty("a write landed before the outbox was disposed");

        await using var reopened = new SqliteUsageOutbox(path);
        await reopened.InitializeAsync(default);
        (await reopened.LoadAsync(OutboxEntryState.Pending, default)).Select(e => e.OperationId).Should().BeEquivalentTo(completed);
    }

    [Fact]
    public async Task A_corrupt_file_fails_start_up_with_a_clear_error_and_is_not_touched()
    {
        var path = _dir.File("corrupt.db");
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(path, garbage);
        var before = Hash(path);

        await using var outbox = new SqliteUsageOutbox(path);
        var act = () => outbox.InitializeAsync(default);
        (await act.Should().ThrowAsync<UsageOutboxException>()).Which.Message.Should().Contain("corrupt").And.Contain(path).And.Contain("untouched");
        Hash(path).Should().Be(before);
        File.Exists(path + "-wal").Should().BeFalse();
    }

    [Fact]
    public async Task A_file_from_a_newer_schema_fails_start_up_and_is_not_touched()
    {
        var path = _dir.File("newer.db");
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var command = raw.CreateCommand();
            command.CommandText = $"CREATE TABLE outbox (operation_id TEXT PRIMARY KEY, v2 BLOB); PRAGMA application_id = {SqliteUsageOutbox.ApplicationId}; PRAGMA user_version = 2;";
            command.ExecuteNonQuery();
        }

        var before = Hash(path);
        await using var outbox = new SqliteUsageOutbox(path);
        var act = () => outbox.InitializeAsync(default);
        (await act.Should().ThrowAsync<UsageOutboxException>()).Which.Message.Should().Contain("schema version 2").And.Contain("newer");
        Hash(path).Should().Be(before);
    }

    [Fact]
    public async Task Another_applications_database_is_refused()
    {
        var path = _dir.File("other.db");
        using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            raw.Open();
            using var command = raw.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id TEXT)";
            command.ExecuteNonQuery();
        }

        await using var outbox = new SqliteUsageOutbox(path);
        (await outbox.Invoking(o => o.InitializeAsync(default)).Should().ThrowAsync<UsageOutboxException>()).Which.Message.Should().Contain("not a Paygentic usage outbox");
    }

    [Fact]
    public async Task A_second_process_cannot_open_the_same_outbox()
    {
        var path = _dir.File("locked.db");
        await using var owner = new SqliteUsageOutbox(path);
        await owner.InitializeAsync(default);
        await owner.UpsertAsync([GuardTests.PendingEntry("op-1", Start)], default);
        await using var intruder = new SqliteUsageOutbox(new SqliteOutboxOptions { Path = path, BusyTimeout = TimeSpan.FromMilliseconds(100) });
        (await intruder.Invoking(o => o.InitializeAsync(default)).Should().ThrowAsync<UsageOutboxException>()).Which.Message.Should().Contain("in use by another process");
    }

    [Fact]
    public async Task The_guard_registers_with_one_call_and_a_corrupt_outbox_fails_host_start()
    {
        var path = _dir.File("di.db");
        await File.WriteAllTextAsync(path, "this is not a database, and it must stay exactly like this....................................................");
        var before = Hash(path);
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.LoggingServiceCollectionExtensions.AddLogging(services);
        Paygentic.Sdk.DependencyInjection.PaygenticServiceCollectionExtensions
            .AddPaygentic(services, o => { o.ApiKey = "sk_test_x"; o.BaseUrl = new Uri("http://127.0.0.1:9"); o.MerchantId = "org_demo"; });
        Paygentic.Sdk.DependencyInjection.MeteringServiceCollectionExtensions
            .AddMeteringGuard(services, o => o.ReservationPoolSize = 1)
            .AddSqliteOutbox(path);
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var hosted = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<Microsoft.Extensions.Hosting.IHostedService>(provider).ToList();
        hosted.Should().ContainSingle(h => h is Paygentic.Sdk.DependencyInjection.MeteringGuardHostedService, "the guard's hosted-service role is internal");
        hosted.Single().Should().NotBeAssignableTo<IMeteringGuard>();
        await hosted[0].Invoking(h => h.StartAsync(default)).Should().ThrowAsync<UsageOutboxException>();
        Hash(path).Should().Be(before);
    }

    [Fact]
    public void Without_an_outbox_resolving_the_guard_says_how_to_add_one()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Paygentic.Sdk.DependencyInjection.PaygenticServiceCollectionExtensions
            .AddPaygentic(services, o => { o.ApiKey = "sk_test_x"; o.MerchantId = "org_demo"; });
        Paygentic.Sdk.DependencyInjection.MeteringServiceCollectionExtensions.AddMeteringGuard(services, _ => { });
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var act = () => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IMeteringGuard>(provider);
        act.Should().Throw<InvalidOperationException>().WithMessage("*AddSqliteOutbox*");
    }

    private static OutboxEntry Authorized(string id)
    {
        var pending = GuardTests.PendingEntry(id, Start);
        return pending with { State = OutboxEntryState.Authorized, Report = null };
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
