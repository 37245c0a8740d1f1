using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Paygentic.Emulator.Faults;

namespace Paygentic.Emulator.Http;

/// <summary>
/// Every response the emulator sends goes through here, so that two rules hold everywhere: a JSON content type
/// always comes with a body, and a request picked for "abort after apply" loses its answer after the state change.
/// </summary>
internal static class Reply
{
    private const string JsonType = "application/json; charset=utf-8";

    public static Task Json<T>(HttpContext context, int status, T value, JsonTypeInfo<T> typeInfo) =>
        Write(context, status, JsonType, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    public static Task Error(HttpContext context, int status, string error, string message, string? code = null) =>
        Json(context, status, new ErrorBody(message, error, code), EmulatorJson.Default.ErrorBody);

    public static Task BadRequest(HttpContext context, string code, string message) =>
        Error(context, StatusCodes.Status400BadRequest, "bad_request", message, code);

    public static Task NotFound(HttpContext context, string what) =>
        Error(context, StatusCodes.Status404NotFound, "not_found", what + " not found", "NOT_FOUND");

    public static Task Forbidden(HttpContext context, string message) =>
        Error(context, StatusCodes.Status403Forbidden, "forbidden", message, "FORBIDDEN");

    public static Task Validation(HttpContext context, string field, string message, string? code = null) =>
        Json(
            context,
            StatusCodes.Status400BadRequest,
            new ValidationErrorBody("validation_error", "Request validation failed: " + field + ": " + message, [new FieldError(field, message, code)]),
            EmulatorJson.Default.ValidationErrorBody);

    public static Task Html(HttpContext context, int status, string html) =>
        Write(context, status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

    public static Task NoContent(HttpContext context)
    {
        if (FaultMiddleware.AbortsAfterApply(context))
        {
            context.Abort();
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task Write(HttpContext context, int status, string contentType, byte[] body)
    {
        if (FaultMiddleware.AbortsAfterApply(context))
        {
            // The operation has been applied; the client must see a dropped connection and no answer at all.
            context.Abort();
            return Task.CompletedTask;
        }

        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
