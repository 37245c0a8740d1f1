namespace Paygentic.Sdk.Metering;

/// <summary>The outcome of <see cref="IMeteringGuard.RunAsync{T}"/>: the work's value and what it was charged.</summary>
/// <typeparam name="T">The work's result type.</typeparam>
public sealed class MeteredResult<T>
{
    /// <summary>Creates a result.</summary>
    /// <param name="value">What the work returned.</param>
    /// <param name="receipt">What was reported.</param>
    public MeteredResult(T value, MeteringReceipt receipt)
    {
        Value = value;
        Receipt = receipt ?? throw new ArgumentNullException(nameof(receipt));
    }

    /// <summary>What the work returned.</summary>
    public T Value { get; }

    /// <summary>The report's details.</summary>
    public MeteringReceipt Receipt { get; }

    /// <summary>The operation id (given or generated).</summary>
    public string OperationId => Receipt.Ticket.OperationId;

    /// <summary>The reservation (legacy) or entitlement (standard) that authorized the work.</summary>
    public string? AuthorizationId => Receipt.Ticket.AuthorizationId;

    /// <summary>The quantities reported.</summary>
    public IReadOnlyDictionary<string, long> Quantities => Receipt.Quantities;

    /// <summary>Where the report stands.</summary>
    public ReportState ReportState => Receipt.State;
}
