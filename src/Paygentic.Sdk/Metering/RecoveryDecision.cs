namespace Paygentic.Sdk.Metering;

/// <summary>What to do with one operation found unfinished at start-up (see <see cref="RecoveryPolicy.Callback"/>).</summary>
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

    /// <summary>What happens.</summary>
    public RecoveryAction Action { get; }

    /// <summary>The quantities to report (null: the estimate).</summary>
    public IReadOnlyDictionary<string, long>? Quantities { get; }

    /// <summary>Report these quantities (per billable metric, or per event data property for Standard).</summary>
    /// <param name="quantities">What to charge.</param>
    public static RecoveryDecision Report(IReadOnlyDictionary<string, long> quantities) =>
        new(RecoveryAction.Report, quantities ?? throw new ArgumentNullException(nameof(quantities)));
}
