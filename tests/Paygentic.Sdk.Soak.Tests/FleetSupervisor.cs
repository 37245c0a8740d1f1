using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>
/// The fleet chaos soak: three client processes ("replicas", instance ids <c>replica-0..2</c>) share one PostgreSQL
/// outbox schema and run guarded operations (each its own range of ids) against the standalone emulator with faults
/// on. Replica 0 is SIGKILLed for good at 40 % of its range; replicas 1 and 2 are SIGKILLed at 25 % and 55 % of theirs
/// and restarted under the same instance id. Replica 0's open tickets and pending reports, snapshot from the database
/// right after its kill, must be finished by a survivor once its lease lapses. Then faults go off, the survivors drain,
/// and the ledger is audited as the single-process soak's is.
/// </summary>
public sealed class FleetSupervisor(string connectionString, int operations, Action<string> log)
{
    public const int DefaultOperations = 1500;
    public const int Replicas = 3;
    public const int Kills = 5;
    private const int Workers = 4;
    private const string Prefund = "1000.00";
    private const string Dead = "replica-0";

    // The replica that dies for good works 100 ms per operation, so its workers are almost always inside their work
    // (ticket open) when it is killed: it always leaves tickets for a survivor, not only by luck of timing.
    private const int DeadWorkMs = 100;

    private static readonly EmulatorFaults Faults = SoakFaults.WithSeed(20261130);

    public async Task<FleetReport> RunAsync()
    {
        var watch = Stopwatch.StartNew();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(150) + TimeSpan.FromMilliseconds(60.0 * operations));
        var schema = "soak_fleet_" + Guid.NewGuid().ToString("N")[..12];
        await using var db = NpgsqlDataSource.Create(connectionString);
        PaygenticEmulator? emulator = null;
        var tracker = new OperationTracker();
        var gate = new Lock();
        var kills = 0;
        HashSet<string> unfinishedOfDead = [];
        try
        {
            emulator = await PaygenticEmulator.StartAsync(new PaygenticEmulatorOptions { Port = 0, AutoPay = true }, bound.Token);
            var customer = (await emulator.OnboardCustomerAsync(decimal.Parse(Prefund, CultureInfo.InvariantCulture), cancellationToken: bound.Token)).CustomerId;
            await emulator.SetFaultsAsync(Faults, bound.Token);
            log($"emulator {emulator.BaseUrl}, schema {schema}, customer {customer}, faults on, {operations} operations over {Replicas} replicas");

            var per = operations / Replicas;
            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var faultsOff = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var survivorsFinished = 0;
            var drivers = Enumerable.Range(0, Replicas).Select(r => Task.Run(async () =>
            {
                var first = r * per;
                var end = r == Replicas - 1 ? operations : first + per;
                int[] killAt = r == 0 ? [first + (per * 2 / 5)] : [first + (per / 4), first + (per * 11 / 20)];
                var runs = 0;
                while (true)
                {
                    int next;
                    lock (gate)
                    {
                        next = tracker.Started.Where(i => i >= first && i < end).DefaultIfEmpty(first - 1).Max() + 1;
                    }

                    using var child = ChildProcess.Start("dotnet", [typeof(SoakChild).Assembly.Location, SoakChild.Verb, emulator.BaseUrl.ToString(), connectionString, customer,
                        next.ToString(CultureInfo.InvariantCulture), end.ToString(CultureInfo.InvariantCulture), Workers.ToString(CultureInfo.InvariantCulture), schema, $"replica-{r}",
                        (r == 0 ? DeadWorkMs : 2).ToString(CultureInfo.InvariantCulture)]);
                    if (runs < killAt.Length)
                    {
                        var target = killAt[runs];
                        await ReadUntilAsync(child, tracker, gate, line => DoneInRange(tracker, gate, first, end) >= target - first, bound.Token);
                        child.Kill();
                        await child.WaitForExitAsync(TimeSpan.FromSeconds(10));
                        while (await child.ReadLineAsync(bound.Token) is { } line)
                        {
                            lock (gate)
                            {
                                tracker.Apply(line);
                            }
                        }

                        Interlocked.Increment(ref kills);
                        runs++;
                        log($"kill replica-{r} (pid {child.Id}) run {runs}");
                        if (r == 0)
                        {
                            // Dead for good: what it leaves in the outbox is for the survivors to finish.
                            unfinishedOfDead = await OwnedAsync(db, schema, Dead, bound.Token);
                            log($"replica-0 dead with {unfinishedOfDead.Count} open tickets and pending reports");
                            return;
                        }

                        continue;
                    }

                    await ReadUntilAsync(child, tracker, gate, line => line == "ops-finished", bound.Token);
                    if (Interlocked.Increment(ref survivorsFinished) == Replicas - 1)
                    {
                        drained.TrySetResult();
                    }

                    await faultsOff.Task.WaitAsync(bound.Token);
                    await child.WriteLineAsync("drain");
                    var last = await ReadUntilAsync(child, tracker, gate, line => line.StartsWith("finished ", StringComparison.Ordinal), bound.Token);
                    await child.WaitForExitAsync(TimeSpan.FromSeconds(30));
                    log($"replica-{r} exited {child.ExitCode}: {last}");
                    return;
                }
            }, CancellationToken.None)).ToList();

            // The drain starts once the survivors ran all their operations and have adopted the dead replica (its
            // instance row is gone), with faults off: every report still queued can then be delivered.
            await Task.WhenAny(drained.Task, Task.WhenAll(drivers));
            await WaitAdoptedAsync(db, schema, bound.Token);
            await emulator.ClearFaultsAsync(bound.Token);
            faultsOff.TrySetResult();
            await Task.WhenAll(drivers);

            var ledger = JsonNode.Parse((await emulator.GetLedgerAsync(customer, bound.Token)).Raw.GetRawText())!;
            var leftover = await ScalarAsync(db, $"SELECT count(*) FROM {schema}.entries", bound.Token);
            var audit = SoakAudit.Check(operations, kills, tracker, ledger, Nanodollars.FromUsd(decimal.Parse(Prefund, CultureInfo.InvariantCulture)).Value, (int)leftover, Kills, unstartedAllowed: true);
            var problems = audit.Problems.ToList();
            var chargedKeys = ledger["charges"]!.AsArray().Select(c => (string)c!["idempotencyKey"]!).ToHashSet(StringComparer.Ordinal);
            var recovered = unfinishedOfDead.Count(id => chargedKeys.Contains(id + ":usage"));
            if (recovered != unfinishedOfDead.Count)
            {
                problems.Add($"{unfinishedOfDead.Count - recovered} of the dead replica's {unfinishedOfDead.Count} unfinished operations were not charged");
            }

            if (unfinishedOfDead.Count == 0)
            {
                problems.Add("the dead replica left nothing unfinished, so the soak proved no adoption");
            }

            log($"{audit.Details}; {watch.Elapsed.TotalSeconds:F1} s");
            return new FleetReport(tracker.Started.Count, audit.Charged, audit.Duplicates, audit.Lost, kills, recovered, problems);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new TimeoutException("the fleet soak did not finish within its bound");
        }
        finally
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }

            await using var drop = db.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static int DoneInRange(OperationTracker tracker, Lock gate, int first, int end)
    {
        lock (gate)
        {
            return tracker.Done.Count(i => i >= first && i < end);
        }
    }

    private static async Task<string> ReadUntilAsync(ChildProcess client, OperationTracker tracker, Lock gate, Func<string, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await client.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException($"a replica ended unexpectedly; stderr:\n{client.ErrorTail}");
            lock (gate)
            {
                tracker.Apply(line);
            }

            if (condition(line))
            {
                return line;
            }
        }
    }

    private static async Task<HashSet<string>> OwnedAsync(NpgsqlDataSource db, string schema, string instanceId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand($"SELECT operation_id FROM {schema}.entries WHERE owner_instance_id = $1 AND state IN ('authorized', 'pending')");
        command.Parameters.Add(new NpgsqlParameter { Value = instanceId });
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Waits until a survivor adopted the dead replica (its lease lapses after <see cref="SoakChild.FleetLease"/>).</summary>
    private static async Task WaitAdoptedAsync(NpgsqlDataSource db, string schema, CancellationToken cancellationToken)
    {
        while (await ScalarAsync(db, $"SELECT count(*) FROM {schema}.instances WHERE id = '{Dead}'", cancellationToken) > 0
               || await ScalarAsync(db, $"SELECT count(*) FROM {schema}.entries WHERE owner_instance_id = '{Dead}' AND state <> 'dead_lettered'", cancellationToken) > 0)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>The fleet soak's outcome and its summary line.</summary>
public sealed record FleetReport(int Operations, int Charged, int Duplicates, int Lost, int Kills, int RecoveredFromDead, IReadOnlyList<string> Problems)
{
    public string Summary =>
        $"chaos-fleet: ops={Operations} replicas={FleetSupervisor.Replicas} charged={Charged} duplicates={Duplicates} lost={Lost} kills={Kills} recovered_from_dead={RecoveredFromDead}";
}
