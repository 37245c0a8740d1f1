using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering.Authorization;

/// <summary>One billing model's authorize and report steps.</summary>
internal interface IAuthorizationStrategy
{
    /// <summary>Checks the operation's arguments before any call (throws <see cref="ArgumentException"/> naming the field).</summary>
    void Validate(MeteredOperation operation);

    /// <summary>
    /// Whether each authorization creates a hold of its own on the server that <see cref="Release"/> cannot give back
    /// (an unpooled reservation), so a refused one would waste it until it expires.
    /// </summary>
    bool HoldsFundsPerOperation { get; }

    /// <summary>
    /// Authorizes; throws <see cref="PaygenticPaymentRequiredException"/> when the customer cannot pay. The ticket's
    /// <see cref="MeteringTicket.AuthorizedAt"/> is the moment the authorization was obtained.
    /// </summary>
    ValueTask<MeteringTicket> AuthorizeAsync(MeteredOperation operation, string operationId, string issuerId, CancellationToken cancellationToken);

    /// <summary>Gives back what an authorization that will never be reported holds locally (a pooled use).</summary>
    void Release(MeteringTicket ticket);

    /// <summary>
    /// The report for these quantities, or null when there is nothing to charge. <paramref name="quantities"/> is never
    /// written after this call (the guard passes the ticket's estimate or a map it built for this report), so the report
    /// may keep it instead of a copy; metadata may be the caller's and is copied.
    /// </summary>
    PendingReport? BuildReport(MeteringTicket ticket, IReadOnlyDictionary<string, long> quantities, IReadOnlyDictionary<string, string>? metadata, DateTimeOffset now);
}

/// <summary>Maps API refusals to <see cref="PaygenticPaymentRequiredException"/>.</summary>
internal static class Denials
{
    private static readonly HashSet<string> DenialCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        PaygenticPaymentRequiredException.InsufficientFunds,
        PaygenticPaymentRequiredException.NoActiveSubscription,
        PaygenticPaymentRequiredException.CustomerNotFound,
        PaygenticPaymentRequiredException.MetricNotInPlan,
    };

    /// <summary>The reason code when <paramref name="exception"/> means "the customer cannot pay", else null.</summary>
    public static string? ReasonOf(PaygenticApiException exception) => exception switch
    {
        PaygenticBadRequestException { Code: { } code } when DenialCodes.Contains(code) => code.ToUpperInvariant(),
        PaygenticNotFoundException => PaygenticPaymentRequiredException.CustomerNotFound,
        _ => null,
    };

    public static bool IsInsufficientFunds(PaygenticApiException exception) =>
        string.Equals(exception.Code, PaygenticPaymentRequiredException.InsufficientFunds, StringComparison.OrdinalIgnoreCase);
}
