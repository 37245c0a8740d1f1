using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CodeRunner.Server.Judge0;

/// <summary>The JSON answers Judge0 gives: bodies as written, errors as <c>{"error": "…"}</c>.</summary>
internal static class Judge0Results
{
    // Plain text as Judge0 writes it ("can't", "C++"), not \u0027 escapes; the body is JSON, never embedded in HTML.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(Options), "application/json; charset=utf-8", statusCode: status);

    public static IResult Error(int status, string message) => Json(new JsonObject { ["error"] = message }, status);

    public static IResult NotFound() => Error(StatusCodes.Status404NotFound, "not found");

    public static IResult QueueFull() => Error(StatusCodes.Status503ServiceUnavailable, "queue is full");

    public static IResult Invalid(FieldErrors errors) => Json(errors.ToJson(), StatusCodes.Status422UnprocessableEntity);
}
