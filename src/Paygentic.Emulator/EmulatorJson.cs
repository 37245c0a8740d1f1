using System.Text.Json.Serialization;
using Paygentic.Emulator.Admin;
using Paygentic.Emulator.Customers;
using Paygentic.Emulator.Entitlements;
using Paygentic.Emulator.Events;
using Paygentic.Emulator.Faults;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.Seed;
using Paygentic.Emulator.Subscriptions;
using Paygentic.Emulator.Usage;

namespace Paygentic.Emulator;

/// <summary>
/// The emulator's own source-generated JSON contract (it shares nothing with the SDK): camelCase, and an absent
/// optional field is omitted, never written as <c>null</c>, because the spec's schemas allow no nulls (the few fields
/// the newer spec requires even when empty say so with <c>JsonIgnoreCondition.Never</c>). Timestamps go through
/// <see cref="Rfc3339JsonConverter"/>; <see cref="Reply"/> writes with relaxed escaping, as the real API does.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    Converters = [typeof(Rfc3339JsonConverter)])]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(ValidationErrorBody))]
[JsonSerializable(typeof(EmulatorSeed))]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(CreateCustomerRequest))]
[JsonSerializable(typeof(CreateCustomerResponse))]
[JsonSerializable(typeof(CustomerBody))]
[JsonSerializable(typeof(CustomerListBody))]
[JsonSerializable(typeof(DeleteConflictBody))]
[JsonSerializable(typeof(CreateSubscriptionRequest))]
[JsonSerializable(typeof(TerminateSubscriptionRequest))]
[JsonSerializable(typeof(PortalRequest))]
[JsonSerializable(typeof(SubscriptionBody))]
[JsonSerializable(typeof(SubscriptionListBody))]
[JsonSerializable(typeof(SubscriptionPortalBody))]
[JsonSerializable(typeof(CreateReservationRequest))]
[JsonSerializable(typeof(ReservationBody))]
[JsonSerializable(typeof(ActiveEntitlementListBody))]
[JsonSerializable(typeof(IssueEntitlementRequest))]
[JsonSerializable(typeof(AccessResultListBody))]
[JsonSerializable(typeof(EntitlementDetailBody))]
[JsonSerializable(typeof(CreateUsageEventRequest))]
[JsonSerializable(typeof(RefundUsageRequest))]
[JsonSerializable(typeof(UsageEventBody))]
[JsonSerializable(typeof(UsageListBody))]
[JsonSerializable(typeof(BatchUsageBody))]
[JsonSerializable(typeof(IngestEventRequest))]
[JsonSerializable(typeof(EventResponseBody))]
[JsonSerializable(typeof(CustomerLedgerBody))]
[JsonSerializable(typeof(LedgerOverviewBody))]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(StatusBody))]
[JsonSerializable(typeof(EventLogBody))]
internal sealed partial class EmulatorJson : JsonSerializerContext;
