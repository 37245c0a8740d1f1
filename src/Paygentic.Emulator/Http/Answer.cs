using System.Text.Json.Serialization.Metadata;

namespace Paygentic.Emulator.Http;

/// <summary>
/// A response decided under a merchant's lock and written after the lock is released (writing awaits, and
/// nothing may await while holding the lock).
/// </summary>
internal abstract class Answer
{
    public static Answer NoContent { get; } = new NoContentAnswer();

    public abstract Task WriteAsync(HttpContext context);

    public static Answer Json<T>(int status, T value, JsonTypeInfo<T> typeInfo) => new JsonAnswer<T>(status, value, typeInfo);

    public static Answer Error(int status, string error, string message, string? code = null) =>
        Json(status, new ErrorBody(message, error, code), EmulatorJson.Default.ErrorBody);

    public static Answer BadRequest(string code, string message) => Error(StatusCodes.Status400BadRequest, "bad_request", message, code);

    public static Answer NotFound(string what) => Error(StatusCodes.Status404NotFound, "not_found", what + " not found", "NOT_FOUND");

    public static Answer Forbidden(string message) => Error(StatusCodes.Status403Forbidden, "forbidden", message, "FORBIDDEN");

    public static Answer Conflict(string message, string code) => Error(StatusCodes.Status409Conflict, "conflict", message, code);

    public static Answer Validation(string field, string message, string? code = null) =>
        Json(
            StatusCodes.Status400BadRequest,
            new ValidationErrorBody("validation_error", "Request validation failed: " + field + ": " + message, [new FieldError(field, message, code)]),
            EmulatorJson.Default.ValidationErrorBody);

    private sealed class JsonAnswer<T>(int status, T value, JsonTypeInfo<T> typeInfo) : Answer
    {
        public override Task WriteAsync(HttpContext context) => Reply.Json(context, status, value, typeInfo);
    }

    private sealed class NoContentAnswer : Answer
    {
        public override Task WriteAsync(HttpContext context) => Reply.NoContent(context);
    }
}
