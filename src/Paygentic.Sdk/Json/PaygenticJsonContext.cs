using System.Text.Json;
using System.Text.Json.Serialization;
using Paygentic.Sdk.Customers;
using Paygentic.Sdk.Entitlements;
using Paygentic.Sdk.Events;
using Paygentic.Sdk.Http;
using Paygentic.Sdk.Subscriptions;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Json;

/// <summary>
/// Source-generated JSON metadata for every wire type: no reflection, trimming- and AOT-safe. A type missing here
/// fails only at run time, which is why every endpoint has a wire test.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(CreateCustomerRequest))]
[JsonSerializable(typeof(CreateCustomerResult))]
[JsonSerializable(typeof(Customer))]
[JsonSerializable(typeof(UpdateCustomerRequest))]
[JsonSerializable(typeof(ListEnvelope<Customer>), TypeInfoPropertyName = "ListEnvelopeCustomer")]
[JsonSerializable(typeof(CreateSubscriptionRequest))]
[JsonSerializable(typeof(Subscription))]
[JsonSerializable(typeof(PendingSubscriptionPayment))]
[JsonSerializable(typeof(PaidSubscriptionPayment))]
[JsonSerializable(typeof(AwaitingApprovalSubscriptionPayment))]
[JsonSerializable(typeof(SubscriptionPortal))]
[JsonSerializable(typeof(PortalLinkBody))]
[JsonSerializable(typeof(TerminationBody))]
[JsonSerializable(typeof(ListEnvelope<Subscription>), TypeInfoPropertyName = "ListEnvelopeSubscription")]
[JsonSerializable(typeof(CreateReservationRequest))]
[JsonSerializable(typeof(Reservation))]
[JsonSerializable(typeof(ListEnvelope<ActiveEntitlement>), TypeInfoPropertyName = "ListEnvelopeActiveEntitlement")]
[JsonSerializable(typeof(ListEnvelope<EntitlementAccess>), TypeInfoPropertyName = "ListEnvelopeEntitlementAccess")]
[JsonSerializable(typeof(EntitlementDetail))]
[JsonSerializable(typeof(IssueEntitlementRequest))]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(UsageEvent))]
[JsonSerializable(typeof(UsageBatchBody))]
[JsonSerializable(typeof(UsageBatchResponse))]
[JsonSerializable(typeof(UsageBatchAck))]
[JsonSerializable(typeof(UsageRefundBody))]
[JsonSerializable(typeof(ListEnvelope<UsageEvent>), TypeInfoPropertyName = "ListEnvelopeUsageEvent")]
[JsonSerializable(typeof(MeterEvent))]
[JsonSerializable(typeof(EventReceipt))]
internal sealed partial class PaygenticJsonContext : JsonSerializerContext
{
}
