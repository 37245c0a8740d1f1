using System.Text.Json.Serialization;

namespace CodeRunner.Server.Storage;

/// <summary>How inputs and outcomes are stored in their JSON columns (source-generated, no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubmissionInput))]
[JsonSerializable(typeof(SubmissionOutcome))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
