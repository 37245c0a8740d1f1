using System.Text.Json;
using Paygentic.Emulator.Customers;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Subscriptions;

/// <summary>The request-only checks of <c>POST /v0/subscriptions</c>, run before anything is looked up or stored.</summary>
internal static class CreateSubscriptionValidation
{
    public static Answer? Validate(CreateSubscriptionRequest request, out long? prefund, out long? minimum)
    {
        prefund = null;
        minimum = null;
        var tooLong = FieldLimits.First(
            (request.Name, FieldLimits.Name, "name"),
            (request.PlanId, FieldLimits.Id, "planId"),
            (request.CustomerId, FieldLimits.Id, "customerId"),
            (request.TestClockId, FieldLimits.Id, "testClockId"),
            (request.RedirectUrls?.OnSuccess, FieldLimits.Url, "redirectUrls.onSuccess"),
            (request.RedirectUrls?.OnFailure, FieldLimits.Url, "redirectUrls.onFailure"));
        if (tooLong is { } violation)
        {
            return violation.ToAnswer();
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Answer.Validation("name", "is required", "REQUIRED");
        }

        if (!Ids.Matches(request.PlanId, "plan"))
        {
            return Answer.Validation("planId", "is required and must be a plan_ id", "REQUIRED");
        }

        if (request.StartedAt is null)
        {
            return Answer.Validation("startedAt", "is required", "REQUIRED");
        }

        if (request.CustomerId is null && request.Customer is null)
        {
            return Answer.Validation("customerId", "customerId or customer is required", "REQUIRED");
        }

        if (request.CustomerId is not null && !Ids.Matches(request.CustomerId, "cus"))
        {
            return Answer.Validation("customerId", "must be a cus_ id", "INVALID_ID");
        }

        if (request.RenewalReminderDays is < 1 or > 30)
        {
            return Answer.Validation("renewalReminderDays", "must be from 1 to 30", "OUT_OF_RANGE");
        }

        if (request.PaymentTermDays is < 0 or > 365)
        {
            return Answer.Validation("paymentTermDays", "must be from 0 to 365", "OUT_OF_RANGE");
        }

        if (request.Metadata is { } metadata)
        {
            foreach (var (key, value) in metadata)
            {
                if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                {
                    return Answer.Validation("metadata." + key, "must be a string, a number or a boolean", "INVALID_TYPE");
                }
            }
        }

        if (request.SessionExpiryMinutes is < 1)
        {
            return Answer.Validation("sessionExpiryMinutes", "must be at least 1", "OUT_OF_RANGE");
        }

        if (request.CustomerId is null && CustomerDirectory.Validate(request.Customer!, "customer", addressNeedsCountryAndZip: true) is { } invalid)
        {
            return invalid;
        }

        return ParseUsd(request.PrefundAmount, "prefundAmount", out prefund) ?? ParseUsd(request.MinimumAccountBalance, "minimumAccountBalance", out minimum);
    }

    private static Answer? ParseUsd(string? text, string field, out long? nanos)
    {
        nanos = null;
        if (text is null)
        {
            return null;
        }

        switch (Money.TryParseUsd(text, out var value))
        {
            case Money.ParseResult.Ok:
                nanos = value;
                return null;
            case Money.ParseResult.TooLarge:
                return Answer.Validation(field, "is too large", "OUT_OF_RANGE");
            default:
                return Answer.Validation(field, "must be a decimal USD amount with at most 9 decimals, e.g. \"200.00\"", "INVALID_AMOUNT");
        }
    }
}
