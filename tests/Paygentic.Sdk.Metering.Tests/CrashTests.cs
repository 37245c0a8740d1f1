using System.Diagnostics;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Metering.Tests.Infrastructure;
using Paygentic.Sdk.Outbox.Sqlite;
using Xunit.Abstractions;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>
/// A child process runs guarded operations against the emulator on real Kestrel (127.0.0.1, port 0) with a SQLite
/// outbox, is killed with SIGKILL mid-run, and is restarted on the same file: every operation it reported as done is
/// charged exactly once, and nothing is left behind.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Killed_mid_run_and_restarted_on_the_same_outbox_every_completed_operation_is_charged_exactly_once()
    {
        await using var emulator = await EmulatorHost.StartAsync(kestrel: true);
        var customer = await emulator.CustomerAsync("100.00");
        var outbox = _dir.File("crash.db");

        // Slow usage answers (and some dropped after being applied) keep reports in flight and pending at the kill.
        await emulator.SetFaultsAsync(new Paygentic.Sdk.Testing.EmulatorFaults { LatencyRate = 1.0, LatencyMs = 150, AbortAfterRate = 0.2, PathPrefix = "/v0/usage", Seed = 3 });

        // Run 1: killed once 40 operations have completed (reports are sent in the background, so some are pending). The
        // child goes on while its lines are read: the lines it wrote before the kill are read to the end of its output,
        // so every operation it completed is known, however late the kill landed.
        var done = new List<string>();
        using (var child = StartChild(emulator.BaseUrl, outbox, customer, first: 0, count: 400))
        {
            var killed = false;
            await foreach (var line in ReadLinesAsync(child, TimeSpan.FromSeconds(60)))
            {
                if (line.StartsWith("done ", StringComparison.Ordinal))
                {
                    done.Add(line.Split(' ')[1]);
                    if (!killed && done.Count == 40)
                    {
                        child.Kill(); // SIGKILL on Unix: no shutdown, no flush
                        killed = true;
                    }
                }
            }

            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        done.Count.Should().BeInRange(40, 399, "the child should reach 40 operations and be killed before its last");
        int leftPending;
        await using (var peek = new SqliteUsageOutbox(outbox))
        {
            await peek.InitializeAsync(default);
            leftPending = (await peek.LoadAsync(OutboxEntryState.Pending, default)).Count + (await peek.LoadAsync(OutboxEntryState.Authorized, default)).Count;
        }

        output.WriteLine($"killed after {done.Count} completed operations; {leftPending} tickets/reports left in the outbox");

        // Run 2: a new process on the same outbox delivers what was left, recovers the unfinished one, runs 5 more.
        using (var child = StartChild(emulator.BaseUrl, outbox, customer, first: 1000, count: 5))
        {
            var lines = new List<string>();
            await foreach (var line in ReadLinesAsync(child, TimeSpan.FromSeconds(60)))
            {
                lines.Add(line);
            }

            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            child.ExitCode.Should().Be(0, string.Join('\n', lines) + await child.StandardError.ReadToEndAsync());
            lines.Should().Contain("finished pending=0");
        }

        var charges = await emulator.ChargesAsync(customer);
        var keys = charges.Select(c => c.Key).ToList();
        keys.Should().OnlyHaveUniqueItems();
        foreach (var id in done.Concat(Enumerable.Range(1000, 5).Select(i => $"crash-{i}")))
        {
            keys.Should().Contain($"{id}:usage", "a completed operation is never lost");
        }

        // Beyond the completed ones, only the operation in flight at the kill may be charged (recovered at its estimate).
        keys.Count.Should().BeInRange(done.Count + 5, done.Count + 5 + 1);
        await using (var after = new SqliteUsageOutbox(outbox))
        {
            await after.InitializeAsync(default);
            (await after.LoadAsync(OutboxEntryState.Pending, default)).Should().BeEmpty();
            (await after.LoadAsync(OutboxEntryState.Authorized, default)).Should().BeEmpty();
            (await after.LoadAsync(OutboxEntryState.DeadLettered, default)).Should().BeEmpty();
        }
    }

    private static Process StartChild(Uri baseUrl, string outbox, string customer, int first, int count)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CrashChild).Assembly.Location);
        start.ArgumentList.Add(CrashChild.Verb);
        start.ArgumentList.Add(baseUrl.ToString());
        start.ArgumentList.Add(outbox);
        start.ArgumentList.Add(customer);
        start.ArgumentList.Add(first.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["DOTNET_TieredPGO"] = "0";
        return Process.Start(start)!;
    }

    private static async IAsyncEnumerable<string> ReadLinesAsync(Process child, TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        while (true)
        {
            string? line;
            try
            {
                line = await child.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                child.Kill();
                throw new TimeoutException("the child process did not finish in time");
            }

            if (line is null)
            {
                yield break;
            }

            yield return line;
        }
    }
}
