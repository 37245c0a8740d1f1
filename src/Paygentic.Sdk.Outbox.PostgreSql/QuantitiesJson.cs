using System.Text;
using System.Text.Json;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Tombstone quantities as a JSON object of whole numbers, written and read by hand so no reflection is needed
/// (AOT) and no value ever passes through a floating-point type.
/// </summary>
internal static class QuantitiesJson
{
    public static string Write(IReadOnlyDictionary<string, long> quantities)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in quantities)
            {
                writer.WriteNumber(name, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static IReadOnlyDictionary<string, long> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var quantities = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            quantities[property.Name] = property.Value.GetInt64();
        }

        return quantities;
    }
}
