using CodeRunner.Billing;
using CodeRunner.Cli;
using CodeRunner.Execution;
using CodeRunner.Hosting;
using CodeRunner.Sandbox;

namespace CodeRunner.Reporting;

/// <summary>Everything the run found out, for the table, the summary line and the tests.</summary>
internal sealed record RunReport
{
    public required BillingMode Billing { get; init; }

    public required string RunId { get; init; }

    public required DemoAccount Account { get; init; }

    public required IReadOnlyList<SubmissionOutcome> Outcomes { get; init; }

    public required string OutboxPath { get; init; }

    public Uri? PortalUrl { get; init; }

    /// <summary>The embedded emulator's ledger for the demo customer after the flush; null for other servers.</summary>
    public LedgerSnapshot? Ledger { get; init; }

    /// <summary>Standard billing: the metered feature after the run.</summary>
    public FeatureAllowance? Allowance { get; init; }

    /// <summary>Why the billing flow did not complete as designed; empty when it did (exit code 0).</summary>
    public IReadOnlyList<string> BillingFailures { get; init; } = [];

    /// <summary>Things worth knowing that do not fail the run (e.g. a server price that differs from ours).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public int Submissions => Outcomes.Count;

    public int Accepted => Outcomes.Count(o => o.Result?.Status == JudgeStatus.Accepted);

    public int Charged => Outcomes.Count(o => o.IsCharged);

    public int NotCharged => Submissions - Charged;

    public decimal TotalUsd => Outcomes.Sum(o => o.ChargeUsd);

    public int ExitCode => BillingFailures.Count == 0 ? ExitCodes.Success : ExitCodes.BillingFailed;
}
