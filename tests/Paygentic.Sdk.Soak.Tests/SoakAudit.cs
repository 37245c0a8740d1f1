using System.Text.Json.Nodes;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>The outcome of a soak: the summary line and every discrepancy found (none when exactly-once held).</summary>
public sealed record SoakReport(int Operations, int Charged, int Duplicates, int Lost, int Kills, string Details, IReadOnlyList<string> Problems)
{
    public string Summary => $"chaos: ops={Operations} charged={Charged} duplicates={Duplicates} lost={Lost} kills={Kills}";
}

/// <summary>
/// Audits the emulator's ledger against what the client processes recorded. Every operation falls in one class:
/// completed (<c>done</c> seen: its report was durable before the kill) — charged exactly once at its actual usage;
/// authorized only (its ticket was durable, the process died in its work) — charged exactly once, either at its
/// estimate (recovered by the next process with the default Recovery, RecoveryDecision.ReportEstimate) or at its actual usage (it completed
/// but died before saying so); started only (died while authorizing) — charged at most once, and then only at its
/// estimate (the ticket was written, the line was not). Nothing else may be charged, and the wallet must balance
/// to the nanodollar.
/// </summary>
public static class SoakAudit
{
    /// <summary>The default seed's prices: bm_basicsub $0.01, bm_exectime $0.00001 per ms, in nanodollars.</summary>
    private const long BasicSubmission = 10_000_000;
    private const long ExecutionMs = 10_000;

    public static long EstimateAmount => (SoakChild.Estimate["bm_basicsub"] * BasicSubmission) + (SoakChild.Estimate["bm_exectime"] * ExecutionMs);

    public static long ActualAmount => (SoakChild.Estimate["bm_basicsub"] * BasicSubmission) + (SoakChild.Actual["bm_exectime"] * ExecutionMs);

    // unstartedAllowed: an operation may never start (the fleet soak's dead replica leaves the rest of its range undone).
    public static SoakReport Check(int operations, int kills, OperationTracker seen, JsonNode ledger, long prefund, int leftoverInOutbox, int expectedKills = SoakSupervisor.Kills, bool unstartedAllowed = false)
    {
        var problems = new List<string>();
        var charges = ledger["charges"]!.AsArray()
            .Select(c => (Key: (string)c!["idempotencyKey"]!, Amount: (long)c["amount"]!))
            .GroupBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var duplicates = charges.Values.Sum(c => c.Count - 1);
        var expected = Enumerable.Range(0, operations).ToDictionary(i => SoakChild.OperationId(i) + ":usage", i => i, StringComparer.Ordinal);
        foreach (var key in charges.Keys.Where(k => !expected.ContainsKey(k)))
        {
            problems.Add($"charge for an unknown operation: {key}");
        }

        var lost = 0;
        var recovered = 0;
        var completedUnseen = 0;
        var startedCharged = 0;
        long expectedCharged = 0;
        foreach (var (key, i) in expected)
        {
            var amounts = charges.TryGetValue(key, out var found) ? found.Select(c => c.Amount).ToList() : [];
            if (!seen.Started.Contains(i) && !unstartedAllowed)
            {
                problems.Add($"operation {i} was never started");
            }

            if (amounts.Count == 0)
            {
                if (seen.Authorized.Contains(i) || seen.Done.Contains(i))
                {
                    lost++;
                    problems.Add($"operation {i} ({(seen.Done.Contains(i) ? "completed" : "authorized")}) was never charged");
                }

                continue;
            }

            var amount = amounts[0];
            expectedCharged += amount;
            if (seen.Done.Contains(i))
            {
                Expect(amount == ActualAmount, $"completed operation {i} charged {amount}, expected {ActualAmount}");
            }
            else if (seen.Authorized.Contains(i))
            {
                Expect(amount == EstimateAmount || amount == ActualAmount, $"interrupted operation {i} charged {amount}, expected {EstimateAmount} or {ActualAmount}");
                recovered += amount == EstimateAmount ? 1 : 0;
                completedUnseen += amount == ActualAmount ? 1 : 0;
            }
            else
            {
                Expect(amount == EstimateAmount, $"operation {i}, killed while authorizing, charged {amount}, expected {EstimateAmount} (recovered) or nothing");
                startedCharged++;
            }
        }

        // The wallet, to the nanodollar: what was charged is exactly the sum above, nothing was refunded, and
        // prefunds = balance + held + charged (orphan holds of dropped reservation answers sit in `held`).
        var charged = (long)ledger["charged"]!;
        var refunded = (long)ledger["refunded"]!;
        var balance = (long)ledger["balance"]!;
        var held = (long)ledger["held"]!;
        var prefunds = (long)ledger["prefunds"]!;
        Expect(charged == expectedCharged, $"wallet charged {charged}, expected {expectedCharged}");
        Expect(refunded == 0, $"wallet refunded {refunded}, expected 0");
        Expect(prefunds == prefund, $"wallet prefunds {prefunds}, expected {prefund}");
        Expect(balance + held == prefund - expectedCharged, $"balance {balance} + held {held} != prefund {prefund} - charged {expectedCharged}");
        Expect((long)ledger["invariant"]!["difference"]! == 0, $"ledger invariant broken: {ledger["invariant"]}");
        Expect(leftoverInOutbox == 0, $"{leftoverInOutbox} entries left in the outbox after the drain");
        Expect(kills == expectedKills, $"{kills} kills, expected {expectedKills}");

        var interrupted = seen.Authorized.Count(i => !seen.Done.Contains(i));
        var details = $"completed={seen.Done.Count} interrupted-after-authorize={interrupted} (recovered at estimate {recovered}, completed unseen {completedUnseen}) " +
            $"interrupted-while-authorizing={seen.Started.Count - seen.Authorized.Count} (recovered {startedCharged}) charged={charged} held={held} balance={balance}";
        return new SoakReport(operations, charges.Count, duplicates, lost, kills, details, problems);

        void Expect(bool condition, string problem)
        {
            if (!condition)
            {
                problems.Add(problem);
            }
        }
    }
}
