using System.Text.Json.Serialization;
using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Metering;

/// <summary>Source-generated JSON for tickets and outbox entries (no reflection; AOT-safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(MeteringTicket))]
[JsonSerializable(typeof(OutboxEntry))]
internal sealed partial class MeteringJsonContext : JsonSerializerContext;
