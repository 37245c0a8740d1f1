using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paygentic.Emulator.Http;

/// <summary>
/// RFC 3339 timestamps as the real API writes them: UTC, milliseconds, <c>Z</c> (<c>2026-11-30T00:29:23.699Z</c>).
/// Reading is lenient on purpose: any RFC 3339 form (an offset, lower-case <c>t</c>/<c>z</c>, a space separator,
/// any number of fraction digits) is accepted, because clients in other languages write all of them.
/// </summary>
internal static class Rfc3339
{
    private const string WriteFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly string[] ReadFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(WriteFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses an RFC 3339 date-time; an offset (or <c>Z</c>) is required, as the RFC requires it.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length < 20)
        {
            return false;
        }

        var normalized = text.ToUpperInvariant();
        if (normalized[10] == ' ')
        {
            normalized = string.Concat(normalized.AsSpan(0, 10), "T", normalized.AsSpan(11));
        }

        // .NET keeps 7 fraction digits; RFC 3339 allows more, which only lose sub-tick precision.
        var dot = normalized.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < normalized.Length && char.IsAsciiDigit(normalized[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                normalized = string.Concat(normalized.AsSpan(0, dot + 8), normalized.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParseExact(normalized, ReadFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }
}

/// <summary>Writes and reads every <see cref="DateTimeOffset"/> of the emulator's JSON through <see cref="Rfc3339"/>.</summary>
internal sealed class Rfc3339JsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && Rfc3339.TryParse(reader.GetString(), out var value))
        {
            return value;
        }

        throw new JsonException("The value is not an RFC 3339 date-time.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Rfc3339.Format(value));
}
