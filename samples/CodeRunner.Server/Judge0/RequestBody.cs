using System.Text.Json;

namespace CodeRunner.Server.Judge0;

/// <summary>Reads a JSON request body; a body that is not JSON is Judge0's 400 <c>{"error": …}</c>.</summary>
internal static class RequestBody
{
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            JsonDocument document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return (document, null);
        }
        catch (JsonException)
        {
            return (null, Judge0Results.Error(StatusCodes.Status400BadRequest, "the request body is not valid JSON"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Judge0Results.Error(StatusCodes.Status413PayloadTooLarge, "the request body is too large"));
        }
    }

    /// <summary>Judge0 v1.13.1: base64 only when the parameter is exactly "true".</summary>
    public static bool Flag(HttpRequest request, string name) =>
        string.Equals(request.Query[name].FirstOrDefault(), "true", StringComparison.Ordinal);
}
