using System.Text.Json;
using System.Text.Json.Serialization;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk.Subscriptions;

/// <summary>
/// The spec declares <c>payment</c> as a <c>oneOf</c> without a discriminator mapping; <c>status</c> tells the
/// variants apart. An unknown status is kept whole instead of failing the call.
/// </summary>
internal sealed class SubscriptionPaymentJsonConverter : JsonConverter<SubscriptionPayment>
{
    public override SubscriptionPayment? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Expected an object for subscription payment.");
        }

        var status = root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        var context = PaygenticJsonContext.Default;
        return status switch
        {
            "pending" when root.TryGetProperty("checkoutUrl", out _) => root.Deserialize(context.PendingSubscriptionPayment),
            "paid" => root.Deserialize(context.PaidSubscriptionPayment),
            "awaiting_approval" => root.Deserialize(context.AwaitingApprovalSubscriptionPayment),
            _ => new UnknownSubscriptionPayment { Status = status, Raw = root.Clone() },
        };
    }

    public override void Write(Utf8JsonWriter writer, SubscriptionPayment value, JsonSerializerOptions options)
    {
        var context = PaygenticJsonContext.Default;
        switch (value)
        {
            case PendingSubscriptionPayment pending:
                JsonSerializer.Serialize(writer, pending, context.PendingSubscriptionPayment);
                break;
            case PaidSubscriptionPayment paid:
                JsonSerializer.Serialize(writer, paid, context.PaidSubscriptionPayment);
                break;
            case AwaitingApprovalSubscriptionPayment awaiting:
                JsonSerializer.Serialize(writer, awaiting, context.AwaitingApprovalSubscriptionPayment);
                break;
            case UnknownSubscriptionPayment unknown:
                unknown.Raw.WriteTo(writer);
                break;
            default:
                throw new JsonException($"Cannot write payment type {value.GetType().Name}.");
        }
    }
}
