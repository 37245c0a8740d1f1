namespace Paygentic.Sdk.Metering;

/// <summary>The guard's argument checks, made before it starts or calls anything.</summary>
internal static class MeteringArguments
{
    /// <summary>An operation names its customer, and its id when it gives one.</summary>
    public static void ThrowIfInvalid(MeteredOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Guard.NotBlank(operation.CustomerId, "operation.CustomerId");
        if (operation.OperationId is { } given && string.IsNullOrWhiteSpace(given))
        {
            throw new ArgumentException("operation.OperationId must not be blank when set.", nameof(operation));
        }
    }

    /// <summary>A completion names its operation, and its actual quantities are named and not negative.</summary>
    public static void ThrowIfInvalid(MeteringTicket ticket, IReadOnlyDictionary<string, long>? actualQuantities)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        Guard.NotBlank(ticket.OperationId, "ticket.OperationId");
        if (actualQuantities is not null)
        {
            foreach (var (metric, quantity) in actualQuantities)
            {
                Guard.NotBlank(metric, "actualQuantities key");
                ArgumentOutOfRangeException.ThrowIfNegative(quantity, nameof(actualQuantities));
            }
        }
    }
}
