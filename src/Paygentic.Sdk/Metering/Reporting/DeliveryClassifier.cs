using System.Net;

namespace Paygentic.Sdk.Metering.Reporting;

/// <summary>What one delivery attempt of a report amounted to.</summary>
internal enum DeliveryOutcome
{
    /// <summary>Accepted (2xx, or the server already had it with the same quantities).</summary>
    Delivered,

    /// <summary>The server already had the key, with other quantities: these were not billed.</summary>
    Duplicate,

    /// <summary>Not accepted this time; send again later with the same key.</summary>
    Transient,

    /// <summary>Refused for good.</summary>
    Rejected,

    /// <summary>Refused because the customer cannot pay.</summary>
    Unpaid,
}

/// <summary>Tells transient failures from permanent ones, for exceptions and for 207 batch-item error texts.</summary>
internal static class DeliveryClassifier
{
    // Error codes that say the key is known (a batch item's error has only text, so its words are kept below).
    private static readonly HashSet<string> DuplicateCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "DUPLICATE", "DUPLICATE_EVENT", "DUPLICATE_IDEMPOTENCY_KEY", "IDEMPOTENCY_KEY_REUSED", "ALREADY_EXISTS", "ALREADY_RECORDED",
    };

    private static readonly string[] DuplicateWords = ["duplicate", "already exists", "already recorded", "already processed"];
    private static readonly string[] UnpaidWords = [PaygenticPaymentRequiredException.InsufficientFunds, "insufficient", "do not cover", "does not cover", "not enough funds"];
    private static readonly string[] TransientWords =
        ["timeout", "timed out", "temporar", "unavailable", "rate limit", "too many", "internal", "try again", "retry", "overloaded", "503", "500", "429", "408"];

    public static DeliveryOutcome Classify(Exception exception) => exception switch
    {
        // A success status with an unreadable body: the server accepted the report.
        PaygenticInvalidResponseException api when (int)api.StatusCode is >= 200 and < 300 => DeliveryOutcome.Delivered,
        PaygenticRateLimitException or PaygenticServerException => DeliveryOutcome.Transient,
        PaygenticApiException { StatusCode: HttpStatusCode.RequestTimeout } => DeliveryOutcome.Transient,
        PaygenticConflictException => DeliveryOutcome.Delivered,
        // By status and code only: a message that happens to contain "duplicate" says nothing about the report.
        PaygenticApiException { Code: { } code } when DuplicateCodes.Contains(code) => DeliveryOutcome.Delivered,
        PaygenticApiException api when Denial(api.Code) => DeliveryOutcome.Unpaid,
        PaygenticApiException => DeliveryOutcome.Rejected,
        ArgumentException => DeliveryOutcome.Rejected,
        _ => DeliveryOutcome.Transient,
    };

    /// <summary>Classifies the error text of one failed item of a 207 batch answer.</summary>
    public static DeliveryOutcome ClassifyItemError(string? error)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            return DeliveryOutcome.Transient;
        }

        if (Contains(error, UnpaidWords))
        {
            return DeliveryOutcome.Unpaid;
        }

        if (Contains(error, DuplicateWords))
        {
            return DeliveryOutcome.Delivered;
        }

        return Contains(error, TransientWords) ? DeliveryOutcome.Transient : DeliveryOutcome.Rejected;
    }

    private static bool Denial(string? code) =>
        string.Equals(code, PaygenticPaymentRequiredException.InsufficientFunds, StringComparison.OrdinalIgnoreCase);

    private static bool Contains(string? text, string[] words) =>
        text is not null && words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase));
}
