using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paygentic.Sdk;

/// <summary>
/// A string-valued enumeration that tolerates values this SDK version does not know yet: the API may add a
/// status without breaking a client that compiled against an older list.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
internal interface IWireValue<TSelf>
    where TSelf : struct, IWireValue<TSelf>
{
    /// <summary>The wire value, e.g. <c>"active"</c>.</summary>
    string Value { get; }

    /// <summary>Wraps a wire value.</summary>
    /// <param name="value">The wire value.</param>
    static abstract TSelf FromValue(string value);
}

/// <summary>Reads and writes an <see cref="IWireValue{TSelf}"/> as its plain string value.</summary>
internal sealed class ExtensibleEnumJsonConverter<T> : JsonConverter<T>
    where T : struct, IWireValue<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? T.FromValue(reader.GetString()!)
            : throw new JsonException($"Expected a string for {typeof(T).Name}, found {reader.TokenType}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
