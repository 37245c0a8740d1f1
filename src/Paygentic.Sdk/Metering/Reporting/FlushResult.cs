namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>What a flush achieved.</summary>
/// <param name="Delivered">Reports accepted.</param>
/// <param name="DeadLettered">Reports refused permanently.</param>
/// <param name="StillPending">Reports that failed again (or arrived meanwhile) and remain pending.</param>
public sealed record FlushResult(int Delivered, int DeadLettered, int StillPending);
