namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>A report was dead-lettered.</summary>
public sealed class DeadLetterEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="entry">The dead letter as stored.</param>
    public DeadLetterEventArgs(OutboxEntry entry) => Entry = entry ?? throw new ArgumentNullException(nameof(entry));

    /// <summary>The dead letter as stored (see <see cref="OutboxEntry.DeadLetterReason"/> and <see cref="OutboxEntry.LastError"/>).</summary>
    public OutboxEntry Entry { get; }
}
