using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Paygentic.Emulator.Http;

/// <summary>
/// Reads JSON request bodies through the source-generated context and turns every malformed body into a
/// <c>ValidationError</c> naming the offending field, rather than the framework's empty 400.
/// </summary>
internal static class RequestBody
{
    /// <summary>Reads the body; on failure the 400 has already been written and null is returned.</summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, bool optional = false)
        where T : class
    {
        var read = await ReadDocumentAsync(context, optional).ConfigureAwait(false);
        if (read.Failed)
        {
            return null;
        }

        if (read.Document is null)
        {
            // Optional and absent: the caller gets an empty request.
            return JsonSerializer.Deserialize("{}", typeInfo);
        }

        using (read.Document)
        {
            return await DeserializeAsync(context, read.Document.RootElement, typeInfo, "").ConfigureAwait(false);
        }
    }

    /// <summary>Deserializes one element (e.g. a batch item); null when it does not fit, with the 400 written when a context is given.</summary>
    public static async Task<T?> DeserializeAsync<T>(HttpContext? context, JsonElement element, JsonTypeInfo<T> typeInfo, string pathPrefix)
        where T : class
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            if (context is not null)
            {
                await Reply.Validation(context, pathPrefix.Length == 0 ? "body" : pathPrefix, "must be a JSON object").ConfigureAwait(false);
            }

            return null;
        }

        try
        {
            return element.Deserialize(typeInfo);
        }
        catch (JsonException exception)
        {
            if (context is not null)
            {
                await Reply.Validation(context, FieldOf(exception, pathPrefix), "has an invalid type or value", "INVALID_TYPE").ConfigureAwait(false);
            }

            return null;
        }
    }

    /// <summary>The field a <see cref="JsonException"/> complains about, as <c>properties[0].quantity</c>.</summary>
    public static string FieldOf(JsonException exception, string pathPrefix)
    {
        var path = exception.Path ?? "$";
        path = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        if (pathPrefix.Length > 0)
        {
            path = path.Length == 0 ? pathPrefix : pathPrefix + (path.StartsWith('[') ? "" : ".") + path;
        }

        return path.Length == 0 ? "body" : path;
    }

    /// <summary>Parses the body as a JSON document; writes the 400 itself when it is missing or not JSON.</summary>
    public static async Task<(JsonDocument? Document, bool Failed)> ReadDocumentAsync(HttpContext context, bool optional)
    {
        JsonDocument? document = null;
        try
        {
            if (context.Request.ContentLength != 0)
            {
                document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (JsonException exception)
        {
            // An empty body with unknown length lands here too.
            if (exception.BytePositionInLine == 0 && exception.LineNumber == 0 && optional)
            {
                return (null, false);
            }

            await Reply.Validation(context, "body", "is not valid JSON", "INVALID_JSON").ConfigureAwait(false);
            return (null, true);
        }

        if (document is null && !optional)
        {
            await Reply.Validation(context, "body", "is required", "REQUIRED").ConfigureAwait(false);
            return (null, true);
        }

        return (document, false);
    }
}
