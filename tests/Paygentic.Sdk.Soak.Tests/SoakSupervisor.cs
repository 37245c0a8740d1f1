using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Outbox.Sqlite;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>
/// The chaos soak: starts the emulator on a real loopback port (the Testing package's port mode: 127.0.0.1, port 0),
/// for client processes to reach, turns fault injection on, runs N guarded
/// operations in a client process that it SIGKILLs and restarts on the same SQLite outbox <see cref="Kills"/> times,
/// then turns faults off, lets the last client drain its outbox and audits the emulator's ledger.
/// </summary>
public sealed class SoakSupervisor(int operations, Action<string> log)
{
    public const int DefaultOperations = 2000;
    public const int Kills = 3;
    private const int Workers = 8;
    private const string Prefund = "1000.00";

    private static readonly EmulatorFaults Faults = SoakFaults.WithSeed(20260418);

    public async Task<SoakReport> RunAsync()
    {
        var watch = Stopwatch.StartNew();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90) + TimeSpan.FromMilliseconds(30.0 * operations));
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "paygentic-soak-" + Guid.NewGuid().ToString("N"))).FullName;
        var outbox = Path.Combine(dir, "outbox.db");
        PaygenticEmulator? emulator = null;
        ChildProcess? client = null;
        try
        {
            emulator = await PaygenticEmulator.StartAsync(new PaygenticEmulatorOptions { Port = 0, AutoPay = true }, bound.Token);
            var baseUrl = emulator.BaseUrl;
            var customer = (await emulator.OnboardCustomerAsync(decimal.Parse(Prefund, CultureInfo.InvariantCulture), cancellationToken: bound.Token)).CustomerId;
            await emulator.SetFaultsAsync(Faults, bound.Token);
            log($"emulator {baseUrl}, customer {customer}, faults on, {operations} operations");

            var tracker = new OperationTracker();
            var kills = 0;
            for (var run = 0; run <= Kills; run++)
            {
                client = ChildProcess.Start("dotnet", [typeof(SoakChild).Assembly.Location, SoakChild.Verb, baseUrl.ToString(), outbox, customer,
                    (tracker.MaxStarted + 1).ToString(CultureInfo.InvariantCulture), operations.ToString(CultureInfo.InvariantCulture), Workers.ToString(CultureInfo.InvariantCulture)]);
                if (run < Kills)
                {
                    // Kill points spread over the run: after 20 %, 40 % and 60 % of the operations have completed.
                    var killAt = operations * (run + 1) / 5;
                    await ReadUntilAsync(client, tracker, () => tracker.Done.Count >= killAt, bound.Token);
                    client.Kill();
                    await client.WaitForExitAsync(TimeSpan.FromSeconds(10));
                    kills++;

                    // Lines the client wrote before it died are facts too: read them all, to the end of its output.
                    while (await client.ReadLineAsync(bound.Token) is { } line)
                    {
                        tracker.Apply(line);
                    }

                    log($"kill {kills} (pid {client.Id}): so far {tracker.Started.Count} started, {tracker.Authorized.Count} authorized, {tracker.Done.Count} completed");
                }
                else
                {
                    await ReadUntilAsync(client, tracker, () => tracker.Finished, bound.Token);
                    await emulator.ClearFaultsAsync(bound.Token);
                    await client.WriteLineAsync("drain");
                    var last = await ReadUntilAsync(client, tracker, () => tracker.Drained is not null, bound.Token);
                    await client.WaitForExitAsync(TimeSpan.FromSeconds(30));
                    log($"final client exited {client.ExitCode}: {last}");
                }

                client.Dispose();
                client = null;
            }

            var ledger = JsonNode.Parse((await emulator.GetLedgerAsync(customer, bound.Token)).Raw.GetRawText())!;
            var leftover = await LeftoverAsync(outbox);
            var report = SoakAudit.Check(operations, kills, tracker, ledger, Nanodollars.FromUsd(decimal.Parse(Prefund, CultureInfo.InvariantCulture)).Value, leftover);
            log($"{report.Details}; {watch.Elapsed.TotalSeconds:F1} s");
            return report;
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new TimeoutException($"the soak did not finish within its bound; client stderr: {client?.ErrorTail}");
        }
        finally
        {
            client?.Dispose();
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Reads the client's lines into the tracker until the condition holds; fails if the client dies first.</summary>
    private static async Task<string> ReadUntilAsync(ChildProcess client, OperationTracker tracker, Func<bool> condition, CancellationToken cancellationToken)
    {
        string? line = null;
        while (!condition())
        {
            line = await client.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException($"the client process ended unexpectedly; stderr:\n{client.ErrorTail}");
            tracker.Apply(line);
        }

        return line ?? string.Empty;
    }

    /// <summary>
    /// What is left undelivered in the outbox file after the last client exited: should be nothing (delivered reports
    /// leave tombstones, and the pool's reservation row stays until it runs out or expires; neither is undelivered).
    /// </summary>
    private static async Task<int> LeftoverAsync(string path)
    {
        await using var outbox = new SqliteUsageOutbox(path);
        await outbox.InitializeAsync(CancellationToken.None);
        var count = 0;
        foreach (var state in (OutboxEntryState[])[OutboxEntryState.Authorized, OutboxEntryState.Pending, OutboxEntryState.DeadLettered])
        {
            count += (await outbox.LoadAsync(state, CancellationToken.None)).Count;
        }

        return count;
    }
}
