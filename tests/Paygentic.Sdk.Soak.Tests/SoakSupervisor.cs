using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Outbox.Sqlite;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>
/// The chaos soak: starts the standalone emulator (127.0.0.1, port 0), turns fault injection on, runs N guarded
/// operations in a client process that it SIGKILLs and restarts on the same SQLite outbox <see cref="Kills"/> times,
/// then turns faults off, lets the last client drain its outbox and audits the emulator's ledger.
/// </summary>
public sealed class SoakSupervisor(int operations, Action<string> log)
{
    public const int DefaultOperations = 2000;
    public const int Kills = 3;
    private const int Workers = 8;
    private const string Prefund = "1000.00";

    /// <summary>≈20 % 5xx, 5 % 429 with Retry-After, 5 % dropped after the charge is applied, 2 % stalls, on every API path.</summary>
    private static readonly object Faults = new
    {
        seed = 20260418,
        error500Rate = 0.10,
        error503Rate = 0.10,
        error429Rate = 0.05,
        retryAfterSeconds = 1,
        abortAfterRate = 0.05,
        timeoutRate = 0.02,
        timeoutMs = 3000,
    };

    public async Task<SoakReport> RunAsync()
    {
        var watch = Stopwatch.StartNew();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90) + TimeSpan.FromMilliseconds(30.0 * operations));
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "paygentic-soak-" + Guid.NewGuid().ToString("N"))).FullName;
        var outbox = Path.Combine(dir, "outbox.db");
        ChildProcess? emulator = null;
        ChildProcess? client = null;
        try
        {
            emulator = ChildProcess.Start("dotnet", [EmulatorDll(), "--urls", "http://127.0.0.1:0", "--auto-pay"], new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" });
            var baseUrl = await EmulatorUrlAsync(emulator, bound.Token);
            using var admin = new HttpClient { BaseAddress = baseUrl };
            admin.DefaultRequestHeaders.Authorization = new("Bearer", "sk_test_emulator");
            var customer = await CreateCustomerAsync(admin, bound.Token);
            (await admin.PostAsJsonAsync("/_emulator/faults", Faults, bound.Token)).EnsureSuccessStatusCode();
            log($"emulator {baseUrl} (pid {emulator.Id}), customer {customer}, faults on, {operations} operations");

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
                    await admin.DeleteAsync("/_emulator/faults", bound.Token);
                    await client.WriteLineAsync("drain");
                    var last = await ReadUntilAsync(client, tracker, () => tracker.Drained is not null, bound.Token);
                    await client.WaitForExitAsync(TimeSpan.FromSeconds(30));
                    log($"final client exited {client.ExitCode}: {last}");
                }

                client.Dispose();
                client = null;
            }

            var ledger = JsonNode.Parse(await admin.GetStringAsync(new Uri("/_emulator/ledger/" + customer, UriKind.Relative), bound.Token))!;
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
            emulator?.Dispose();
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

    private static async Task<Uri> EmulatorUrlAsync(ChildProcess emulator, CancellationToken cancellationToken)
    {
        const string Prefix = "Paygentic emulator listening on ";
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(TimeSpan.FromSeconds(30));
        while (await emulator.ReadLineAsync(startup.Token) is { } line)
        {
            if (line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return new Uri(line[Prefix.Length..].Trim());
            }
        }

        throw new InvalidOperationException($"the emulator exited before listening; stderr:\n{emulator.ErrorTail}");
    }

    private static async Task<string> CreateCustomerAsync(HttpClient admin, CancellationToken cancellationToken)
    {
        using var created = await admin.PostAsJsonAsync("/v0/customers", new
        {
            merchantId = "org_demo",
            consumer = new { name = "Soak", email = $"{Guid.NewGuid():N}@example.com", address = new { country = "US", state = "CA", zipCode = "94105" } },
        }, cancellationToken);
        created.EnsureSuccessStatusCode();
        var customerId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync(cancellationToken))!["customerId"]!;
        using var subscribed = await admin.PostAsJsonAsync("/v0/subscriptions", new
        {
            name = "Soak",
            planId = "plan_legacy",
            customerId,
            startedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            prefundAmount = Prefund,
        }, cancellationToken);
        subscribed.EnsureSuccessStatusCode();
        return customerId;
    }

    /// <summary>The emulator built next to this project, in the same configuration (Debug or Release).</summary>
    private static string EmulatorDll()
    {
        var configuration = typeof(SoakSupervisor).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Paygentic.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        var dll = Path.Combine(directory?.FullName ?? ".", "src", "Paygentic.Emulator", "bin", configuration, "net10.0", "Paygentic.Emulator.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the emulator first (dotnet build src/Paygentic.Emulator -c {configuration})", dll);
    }
}
