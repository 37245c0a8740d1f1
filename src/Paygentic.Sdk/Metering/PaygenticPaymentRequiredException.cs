namespace Paygentic.Sdk;

/// <summary>
/// The metering guard refused to run an operation because the customer cannot pay for it: insufficient funds, no
/// access to the feature, no active subscription, or an unknown customer. The work never ran and nothing was charged.
/// </summary>
public class PaygenticPaymentRequiredException : PaygenticException
{
    /// <summary>Reason code: the wallet cannot cover the reservation.</summary>
    public const string InsufficientFunds = "INSUFFICIENT_FUNDS";

    /// <summary>Reason code: the customer has no active subscription.</summary>
    public const string NoActiveSubscription = "NO_ACTIVE_SUBSCRIPTION";

    /// <summary>Reason code: the customer does not exist.</summary>
    public const string CustomerNotFound = "CUSTOMER_NOT_FOUND";

    /// <summary>Reason code: the customer's plan does not price a metric of the estimate.</summary>
    public const string MetricNotInPlan = "METRIC_NOT_IN_PLAN";

    /// <summary>Reason code (standard billing): the customer has no access to the feature (hasAccess false, or no entitlement).</summary>
    public const string NoAccess = "NO_ACCESS";

    /// <summary>Creates the exception.</summary>
    public PaygenticPaymentRequiredException()
        : this("The customer cannot pay for this operation.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PaygenticPaymentRequiredException(string message)
        : base(message)
    {
        CustomerId = string.Empty;
        OperationId = string.Empty;
        ReasonCode = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PaygenticPaymentRequiredException(string message, Exception? innerException)
        : base(message, innerException)
    {
        CustomerId = string.Empty;
        OperationId = string.Empty;
        ReasonCode = string.Empty;
    }

    /// <summary>Creates the exception for a refused operation.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="operationId">The operation.</param>
    /// <param name="reasonCode">Why (e.g. <see cref="InsufficientFunds"/>).</param>
    /// <param name="innerException">The API error that said so, if any.</param>
    public PaygenticPaymentRequiredException(string customerId, string operationId, string reasonCode, PaygenticApiException? innerException)
        : base($"Payment required for customer {customerId}, operation {operationId}: {reasonCode}.", innerException)
    {
        CustomerId = customerId;
        OperationId = operationId;
        ReasonCode = reasonCode;
    }

    /// <summary>The customer.</summary>
    public string CustomerId { get; }

    /// <summary>The operation that was refused.</summary>
    public string OperationId { get; }

    /// <summary>Why: one of the reason-code constants, or the server's code.</summary>
    public string ReasonCode { get; }

    /// <summary>The API error that caused the refusal, when there was one.</summary>
    public PaygenticApiException? ApiException => InnerException as PaygenticApiException;
}
