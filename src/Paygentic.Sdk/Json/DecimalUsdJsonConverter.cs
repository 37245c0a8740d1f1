using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paygentic.Sdk.Json;

/// <summary>
/// Decimal-USD amounts travel as strings such as <c>"200.00"</c> (never JSON numbers, which many parsers turn into
/// doubles). Reads a string or, tolerantly, a number; writes an invariant string.
/// </summary>
internal sealed class DecimalUsdJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDecimal();
        }

        if (reader.TokenType == JsonTokenType.String
            && decimal.TryParse(reader.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new JsonException("Expected a decimal dollar amount such as \"12.50\".");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    /// <summary>Invariant, no exponent, no trailing zeros beyond what the value carries.</summary>
    internal static string Format(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}

/// <summary>The nullable form of <see cref="DecimalUsdJsonConverter"/>, for optional amounts.</summary>
internal sealed class NullableDecimalUsdJsonConverter : JsonConverter<decimal?>
{
    private static readonly DecimalUsdJsonConverter Inner = new();

    public override bool HandleNull => true;

    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(decimal), options);

    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } amount)
        {
            Inner.Write(writer, amount, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
