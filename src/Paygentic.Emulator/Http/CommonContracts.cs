namespace Paygentic.Emulator.Http;

/// <summary>The spec's <c>Error</c> body; <c>code</c> is the UPPER_SNAKE business code clients branch on.</summary>
internal sealed record ErrorBody(string Message, string Error, string? Code = null);

/// <summary>The spec's <c>ValidationError</c> body for request validation failures (400).</summary>
internal sealed record ValidationErrorBody(string Error, string Message, IReadOnlyList<FieldError> Errors);

/// <summary>One invalid field of a request.</summary>
internal sealed record FieldError(string Field, string Message, string? Code = null);

/// <summary>The spec's <c>OffsetPagination</c>.</summary>
internal sealed record Pagination(int Limit, int Offset, int Total);
