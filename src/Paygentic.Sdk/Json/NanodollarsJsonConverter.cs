using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paygentic.Sdk.Json;

/// <summary>
/// Reads nanodollars from a JSON integer or a digit string (the API uses both, e.g. <c>billing.totalAmount</c>
/// versus <c>remainingBalance</c>), and writes a digit string, which no JSON parser rounds.
/// </summary>
internal sealed class NanodollarsJsonConverter : JsonConverter<Nanodollars>
{
    public override Nanodollars Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var number))
            {
                return new Nanodollars(number);
            }

            throw new JsonException("A nanodollar amount must be a whole number that fits in 64 bits.");
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
            if (Utf8Parser.TryParse(span, out long value, out var consumed) && consumed == span.Length)
            {
                return new Nanodollars(value);
            }

            throw new JsonException("A nanodollar amount string must contain only digits.");
        }

        throw new JsonException($"Expected a nanodollar amount, found {reader.TokenType}.");
    }

    public override void Write(Utf8JsonWriter writer, Nanodollars value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[24];
        Utf8Formatter.TryFormat(value.Value, buffer, out var written);
        writer.WriteStringValue(buffer[..written]);
    }
}
