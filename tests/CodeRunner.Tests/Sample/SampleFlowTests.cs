using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CodeRunner.Cli;
using CodeRunner.Configuration;
using CodeRunner.Execution;
using CodeRunner.Hosting;
using CodeRunner.Reporting;
using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;
using Paygentic.Sdk;
using Paygentic.Sdk.Metering;

namespace CodeRunner.Tests.Sample;

/// <summary>The sample's flow end to end: embedded emulator on loopback, real sandbox, SQLite outbox, ledger checked.</summary>
public sealed class SampleFlowTests
{
    private static readonly string[] Subset = ["python-hello", "bash-wrong-answer", "c-hello", "c-compile-error", "hostile-infinite-loop"];

    [SandboxFact(71, 46, 50)]
    public async Task Legacy_run_bills_one_usage_report_per_charged_submission_and_the_wallet_balances_to_the_nanodollar()
    {
        await using BillingServer server = await BillingServer.StartEmbeddedAsync(CancellationToken.None);
        var (report, output) = await SampleRun.RunAsync(server, BillingMode.Legacy, Subset);

        report.BillingFailures.Should().BeEmpty(output);
        report.ExitCode.Should().Be(0);
        report.Submissions.Should().Be(6);
        report.Charged.Should().Be(5, "statuses 3-12 are charged, compile errors included");
        SubmissionOutcome internalError = report.Outcomes.Single(o => o.Job.Name == SampleRun.InternalErrorJob);
        internalError.Result!.Status.Should().Be(JudgeStatus.InternalError);
        internalError.IsCharged.Should().BeFalse();
        internalError.ChargeUsd.Should().Be(0m);

        LedgerSnapshot ledger = await server.Ledger!.ReadAsync(report.Account.CustomerId, CancellationToken.None);
        var charged = report.Outcomes.Where(o => o.IsCharged).ToList();
        ledger.ChargesByKey.Keys.Should().BeEquivalentTo(charged.Select(o => o.OperationId + ":usage"), "one usage report per charged submission, none for the internal error");
        var settings = new SampleSettings();
        foreach (SubmissionOutcome outcome in charged)
        {
            outcome.Quantities.Should().HaveCount(2, "one report carries both the submission metric and the execution time");
            outcome.Quantities[settings.ExecutionTimeMetricId].Should().BeGreaterThanOrEqualTo(1);
            decimal expected = outcome.Quantities.Sum(q => q.Value * Price(settings, q.Key));
            ledger.ChargesByKey[outcome.IdempotencyKey!].Should().Be(Nanodollars.FromUsd(expected), outcome.Job.Name);
            outcome.ChargeUsd.Should().Be(expected, "the table shows exactly what was billed");
        }

        ledger.Prefunds.Should().Be(Nanodollars.FromUsd(settings.PrefundUsd));
        ledger.Charged.Should().Be(Nanodollars.FromUsd(report.TotalUsd));
        // The cancelled operation's reservation stays held until it expires (the API has no release call); every
        // other reservation was used up by its report and returned its remainder.
        decimal internalErrorHold = 1 * settings.BasicPriceUsd + 5_000 * settings.ExecutionTimePriceUsd;
        ledger.Held.Should().Be(Nanodollars.FromUsd(internalErrorHold));
        ledger.Balance.Should().Be(Nanodollars.FromUsd(settings.PrefundUsd - report.TotalUsd - internalErrorHold), "balance = prefund - charges (- the open hold), exactly");
        ledger.InvariantHolds.Should().BeTrue();

        output.TrimEnd().Split('\n')[^1].Should().Be(ReportPrinter.SummaryLine(report))
            .And.Be($"summary: submissions=6 accepted=2 charged=5 not_charged=1 total_usd={Money.Format(report.TotalUsd)} balance_usd={Money.Format(ledger.Balance.ToUsd())}");
        report.PortalUrl!.IsLoopback.Should().BeTrue();
    }

    [SandboxFact(71, 46, 50)]
    public async Task Standard_run_sends_one_meter_event_per_charged_submission_and_draws_the_feature_not_the_wallet()
    {
        await using BillingServer server = await BillingServer.StartEmbeddedAsync(CancellationToken.None);
        var (report, output) = await SampleRun.RunAsync(server, BillingMode.Standard, Subset);

        report.BillingFailures.Should().BeEmpty(output);
        report.ExitCode.Should().Be(0);
        report.Charged.Should().Be(5);
        var charged = report.Outcomes.Where(o => o.IsCharged).ToList();
        charged.Should().AllSatisfy(o => o.ReportState.Should().Be(ReportState.Delivered));

        using var admin = new HttpClient { BaseAddress = server.BaseUrl };
        JsonNode events = (await admin.GetFromJsonAsync<JsonNode>("/_emulator/events/" + report.Account.CustomerId))!;
        events["events"]!.AsArray().Select(e => (string)e!["idempotencyKey"]!)
            .Should().BeEquivalentTo(charged.Select(o => o.OperationId + ":event"), "one event per charged submission, none for the internal error");
        events["events"]!.AsArray().Should().AllSatisfy(e =>
        {
            ((string)e!["type"]!).Should().Be("code.submission");
            ((long)e["data"]!["executionMs"]!).Should().BeGreaterThanOrEqualTo(1);
        });

        report.Allowance!.UsedInPeriod.Should().Be(5);
        report.Allowance.Remaining.Should().Be(995);
        report.TotalUsd.Should().Be(5 * 0.002m);
        LedgerSnapshot ledger = report.Ledger!;
        ledger.ChargesByKey.Should().BeEmpty("standard billing invoices usage; the wallet is not drawn during the run");
        ledger.Balance.Should().Be(Nanodollars.FromUsd(new SampleSettings().PrefundUsd));
        output.TrimEnd().Split('\n')[^1].Should().Be(ReportPrinter.SummaryLine(report));
    }

    private static decimal Price(SampleSettings settings, string metric) =>
        metric == settings.BasicMetricId ? settings.BasicPriceUsd
        : metric == settings.PremiumMetricId ? settings.PremiumPriceUsd
        : metric == settings.ExecutionTimeMetricId ? settings.ExecutionTimePriceUsd
        : throw new InvalidOperationException(metric);
}
