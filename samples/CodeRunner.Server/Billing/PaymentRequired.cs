using System.Text.Json.Nodes;
using Paygentic.Sdk;

namespace CodeRunner.Server.Billing;

/// <summary>
/// The 402 a refused authorization answers: Judge0's <c>{"error": …}</c> shape plus Paygentic's reason
/// <c>code</c> and where the user can pay (this server's <c>/billing-portal</c>).
/// </summary>
internal static class PaymentRequired
{
    public static JsonObject Body(HttpRequest request, string code)
    {
        ArgumentNullException.ThrowIfNull(request);
        string why = code switch
        {
            PaygenticPaymentRequiredException.InsufficientFunds => "the wallet cannot cover this submission's worst case",
            PaygenticPaymentRequiredException.NoActiveSubscription => "the subscription is not active (is the checkout paid?)",
            PaygenticPaymentRequiredException.NoAccess => "the plan gives no access to submissions",
            _ => "the billing provider refused the submission",
        };
        return new JsonObject
        {
            ["error"] = "payment required: " + why,
            ["code"] = code,
            ["billing_portal_url"] = $"{request.Scheme}://{request.Host}/billing-portal",
        };
    }

    public static IResult Result(HttpRequest request, string code) =>
        Judge0.Judge0Results.Json(Body(request, code), StatusCodes.Status402PaymentRequired);
}
