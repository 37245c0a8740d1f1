using CodeRunner.Sandbox;
using Paygentic.Sdk.Metering;

namespace CodeRunner.Execution;

/// <summary>One submission after the guard: the verdict, what was reported and what it cost.</summary>
internal sealed record SubmissionOutcome
{
    public required SubmissionJob Job { get; init; }

    public required string OperationId { get; init; }

    /// <summary>The sandbox's verdict; null when the guard refused the submission before it ran.</summary>
    public SubmissionResult? Result { get; init; }

    /// <summary>Why the guard refused it (payment required), or null.</summary>
    public string? Denial { get; init; }

    /// <summary>What was reported (empty when nothing was charged).</summary>
    public IReadOnlyDictionary<string, long> Quantities { get; init; } = new Dictionary<string, long>();

    /// <summary>The report's idempotency key, or null when nothing was reported.</summary>
    public string? IdempotencyKey { get; init; }

    public ReportState ReportState { get; init; }

    /// <summary>The charge in USD: the server's amount when it reports one, else quantities × configured prices.</summary>
    public decimal ChargeUsd { get; init; }

    public bool IsCharged => IdempotencyKey is not null;
}
