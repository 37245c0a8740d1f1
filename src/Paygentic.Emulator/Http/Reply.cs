using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
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

    // The real API leaves apostrophes, '<', '&' and non-ASCII text as they are; JSON's own escapes still apply.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task Json<T>(HttpContext context, int status, T value, JsonTypeInfo<T> typeInfo)
    {
        if (value is ErrorBody or ValidationErrorBody && OmitsErrorCodes(context))
        {
            return Write(context, status, JsonType, WithoutCodes(value));
        }

        return Write(context, status, JsonType, Serialize(value, typeInfo));
    }

    /// <summary>Serializes with the relaxed encoder (a writer's options decide escaping, not the context's).</summary>
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool OmitsErrorCodes(HttpContext context) =>
        context.RequestServices.GetService<State.EmulatorRuntime>()?.Options.OmitErrorCodes == true;

    /// <summary>The error body without any <c>code</c>, for clients that reject codes they do not know.</summary>
    private static byte[] WithoutCodes<T>(T value) => value switch
    {
        ErrorBody error => Serialize(error with { Code = null }, EmulatorJson.Default.ErrorBody),
        ValidationErrorBody validation => Serialize(
            validation with { Errors = [.. validation.Errors.Select(e => e with { Code = null })] },
            EmulatorJson.Default.ValidationErrorBody),
        _ => throw new ArgumentException("not an error body", nameof(value)),
    };

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
