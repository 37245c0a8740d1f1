using System.Text.Json;

namespace Paygentic.Emulator.Events;

/// <summary>The subset of JSONPath metrics use: <c>$.a.b</c>, a dotted path of plain property names.</summary>
internal static class JsonPathValue
{
    public static bool IsSupported(string? path) =>
        path is not null && path.StartsWith("$.", StringComparison.Ordinal) && path.Length > 2 &&
        path[2..].Split('.').All(part => part.Length > 0 && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));

    /// <summary>The number at <paramref name="path"/> in <paramref name="data"/>; false when absent or not a number.</summary>
    public static bool TryRead(JsonElement data, string path, out decimal value)
    {
        value = 0;
        var current = data;
        foreach (var part in path[2..].Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return false;
            }
        }

        return current.ValueKind == JsonValueKind.Number && current.TryGetDecimal(out value);
    }
}
