namespace Paygentic.Sdk.Metering;

/// <summary>What to do with one operation found unfinished at start-up (see <see cref="MeteringOptions.Recovery"/>).</summary>
public sealed class RecoveryDecision
{
    private RecoveryDecision(RecoveryAction action, IReadOnlyDictionary<string, long>? quantities)
    {
        Action = action;
        Quantities = quantities;
    }

    /// <summary>Report the operation's estimate.</summary>
    public static RecoveryDecision ReportEstimate { get; } = new(RecoveryAction.Report, null);

    /// <summary>Charge nothing and forget the operation.</summary>
    public static RecoveryDecision Skip { get; } = new(RecoveryAction.Skip, null);

    /// <summary>Leave the ticket alone: it will be completed or cancelled later with the two-phase API.</summary>
    public static RecoveryDecision Keep { get; } = new(RecoveryAction.Keep, null);

    /// <summary>The default <see cref="MeteringOptions.Recovery"/>: report every unfinished operation's estimate.</summary>
    public static Func<MeteringTicket, CancellationToken, ValueTask<RecoveryDecision>> AlwaysReportEstimate { get; } = static (_, _) => ValueTask.FromResult(ReportEstimate);

    /// <summary>A <see cref="MeteringOptions.Recovery"/> that charges nothing for unfinished operations and forgets them.</summary>
    public static Func<MeteringTicket, CancellationToken, ValueTask<RecoveryDecision>> AlwaysSkip { get; } = static (_, _) => ValueTask.FromResult(Skip);

    /// <summary>A <see cref="MeteringOptions.Recovery"/> that keeps every unfinished ticket for the two-phase API.</summary>
    public static Func<MeteringTicket, CancellationToken, ValueTask<RecoveryDecision>> AlwaysKeep { get; } = static (_, _) => ValueTask.FromResult(Keep);

    /// <summary>What happens.</summary>
    public RecoveryAction Action { get; }

    /// <summary>The quantities to report (null: the estimate).</summary>
    public IReadOnlyDictionary<string, long>? Quantities { get; }

    /// <summary>Report these quantities (per billable metric, or per event data property for Standard).</summary>
    /// <param name="quantities">What to charge.</param>
    public static RecoveryDecision Report(IReadOnlyDictionary<string, long> quantities) =>
        new(RecoveryAction.Report, quantities ?? throw new ArgumentNullException(nameof(quantities)));
}
