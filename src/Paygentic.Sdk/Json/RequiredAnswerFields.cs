using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paygentic.Sdk.Json;

/// <summary>
/// An id the API always sends in an answer (a usage event's, a customer's): reads it and refuses JSON null or a blank
/// string, which <c>required</c> alone lets through. An answer without one is not a record of anything, and must
/// not let a report that never reached Paygentic look delivered.
/// </summary>
internal sealed class AnswerIdJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => true;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.GetString() is { } id && !string.IsNullOrWhiteSpace(id)
            ? id
            : throw new JsonException("An id the API always sends is null or blank.");

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}

/// <summary>
/// An array the answer must carry but this reader does not need (the batch's successful events, when only failures
/// matter): skipped without being built, while its absence or a non-array still fails the answer.
/// </summary>
internal sealed class SkippedArrayJsonConverter : JsonConverter<bool>
{
    public override bool HandleNull => true;

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A required array is null or not an array.");
        }

        reader.Skip();
        return true;
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        writer.WriteEndArray();
    }
}

/// <summary>
/// An answer envelope that knows which of its members the API always sends; checked once it is read, because JSON
/// null passes <see cref="JsonRequiredAttribute"/>.
/// </summary>
internal interface ICheckedAnswer
{
    /// <summary>The name of a required member that is null, or <see langword="null"/> when all are present.</summary>
    string? MissingMember { get; }
}
