namespace Paygentic.Sdk;

/// <summary>One field that failed the server's validation (an entry of a <c>ValidationError</c> body).</summary>
/// <param name="Field">The request field, e.g. <c>properties[0].quantity</c>.</param>
/// <param name="Message">Why it was rejected.</param>
/// <param name="Code">A machine-readable code, when the server gives one.</param>
public sealed record ValidationFieldError(string Field, string Message, string? Code);
