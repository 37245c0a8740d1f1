using System.Globalization;
using System.Text;
using CodeRunner.Cli;
using CodeRunner.Execution;
using CodeRunner.Sandbox;

namespace CodeRunner.Reporting;

/// <summary>Writes the results table, the portal link, the balance and, last, the one machine-readable summary line.</summary>
internal static class ReportPrinter
{
    public static string Render(RunReport report, LanguageRegistry languages)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(languages);
        var table = new TextTable("#", "submission", "language", "status", "cpu (s)", "wall (s)", "memory (KB)", "charge (USD)", "report");
        table.RightAligned.UnionWith([0, 4, 5, 6, 7]);
        for (int i = 0; i < report.Outcomes.Count; i++)
        {
            SubmissionOutcome outcome = report.Outcomes[i];
            SubmissionResult? result = outcome.Result;
            table.Add(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                outcome.Job.Name,
                LanguageName(outcome.Job.Submission.LanguageId, languages),
                result is null ? "refused: " + outcome.Denial : $"{result.Status.Id} {result.Status.Description}",
                result?.Time?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-",
                result?.WallTime?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-",
                result?.Memory?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Money.Column(outcome.IsCharged ? outcome.ChargeUsd : 0m),
                ReportColumn(outcome));
        }

        var text = new StringBuilder();
        text.Append('\n').Append(table).Append('\n');
        AppendProgramOutput(text, report);
        AppendBillingNotes(text, report);
        text.Append(SummaryLine(report)).Append('\n');
        return text.ToString();
    }

    /// <summary><c>summary: submissions=N accepted=A charged=C not_charged=D total_usd=X[ balance_usd=Y]</c>.</summary>
    public static string SummaryLine(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"summary: submissions={report.Submissions} accepted={report.Accepted} charged={report.Charged} not_charged={report.NotCharged} total_usd={Money.Format(report.TotalUsd)}");
        return report.Ledger is { } ledger ? line + " balance_usd=" + Money.Format(ledger.Balance.ToUsd()) : line;
    }

    private static void AppendBillingNotes(StringBuilder text, RunReport report)
    {
        text.Append(report.Billing == BillingMode.Legacy
            ? "Charges: what Paygentic billed for each usage report (statuses 3-12); 13/14 are not charged; compiling is free.\n"
            : "Charges: one code.submission event per charged submission at the plan's event price, invoiced at the end of the period (the wallet is not drawn).\n");
        foreach (string note in report.Notes)
        {
            text.Append("Note: ").Append(note).Append('\n');
        }

        if (report.Allowance is { } allowance)
        {
            text.Append(CultureInfo.InvariantCulture, $"Feature '{allowance.FeatureKey}': {allowance.UsedInPeriod} used this period, {allowance.Remaining?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"} left\n");
        }

        text.Append("Customer portal: ").Append(report.PortalUrl?.ToString() ?? "(none)").Append('\n');
        if (report.Ledger is { } ledger)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"Wallet (emulator ledger): prefunded ${Money.Format(ledger.Prefunds.ToUsd())}, charged ${Money.Format(ledger.Charged.ToUsd())}, held ${Money.Format(ledger.Held.ToUsd())}, balance ${Money.Format(ledger.Balance.ToUsd())}\n");
        }

        foreach (string failure in report.BillingFailures)
        {
            text.Append("BILLING FAILED: ").Append(failure).Append('\n');
        }

        if (report.BillingFailures.Count > 0)
        {
            text.Append("Undelivered reports are kept in ").Append(report.OutboxPath).Append("; rerun with --outbox to deliver them.\n");
        }
    }

    /// <summary>Under the table, what each submission given as a file printed (built-ins are known programs).</summary>
    private static void AppendProgramOutput(StringBuilder text, RunReport report)
    {
        int before = text.Length;
        for (int i = 0; i < report.Outcomes.Count; i++)
        {
            SubmissionOutcome outcome = report.Outcomes[i];
            if (!outcome.Job.FromFile || outcome.Result is not { } result)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"#{i + 1} {outcome.Job.Name}:\n");
            foreach ((string stream, string? output) in new[] { ("stdout", result.Stdout), ("stderr", result.Stderr), ("compile output", result.CompileOutput) })
            {
                if (!string.IsNullOrEmpty(output))
                {
                    text.Append("  ").Append(stream).Append(":\n").Append(OutputExcerpt.Render(output.TrimEnd('\n'), "    ")).Append('\n');
                }
            }

            if (string.IsNullOrEmpty(result.Stdout) && string.IsNullOrEmpty(result.Stderr) && string.IsNullOrEmpty(result.CompileOutput))
            {
                text.Append("  (no output)\n");
            }
        }

        if (text.Length > before)
        {
            text.Append('\n');
        }
    }

    private static string ReportColumn(SubmissionOutcome outcome) =>
        outcome.Denial is not null ? "refused"
        : outcome.IsCharged ? outcome.ReportState.ToString().ToLowerInvariant()
        : "cancelled (not charged)";

    private static string LanguageName(int languageId, LanguageRegistry languages) =>
        languages.TryGet(languageId, out Language? language) ? $"{language.Name} [{languageId}]" : $"unavailable [{languageId}]";
}
