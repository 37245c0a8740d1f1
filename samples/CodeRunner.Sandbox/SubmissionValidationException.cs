namespace CodeRunner.Sandbox;

/// <summary>
/// A submission field is invalid. <see cref="Field"/> is the Judge0 field name (e.g. <c>cpu_time_limit</c>), so an
/// HTTP layer can answer 422 <c>{field: [message]}</c> exactly as Judge0 does.
/// </summary>
public sealed class SubmissionValidationException : ArgumentException
{
    /// <summary>Creates the exception for one Judge0 field.</summary>
    /// <param name="field">The Judge0 field name, also used as <see cref="ArgumentException.ParamName"/>.</param>
    /// <param name="message">What is wrong and which values are allowed.</param>
    public SubmissionValidationException(string field, string message)
        : base(message, field)
    {
        Field = field;
    }

    /// <summary>Creates the exception without a field (prefer the field overload).</summary>
    public SubmissionValidationException()
        : this("submission", "The submission is invalid.")
    {
    }

    /// <summary>Creates the exception without a field (prefer the field overload).</summary>
    public SubmissionValidationException(string message)
        : this("submission", message)
    {
    }

    /// <summary>Creates the exception without a field (prefer the field overload).</summary>
    public SubmissionValidationException(string message, Exception innerException)
        : base(message, "submission", innerException)
    {
        Field = "submission";
    }

    /// <summary>The Judge0 field name that failed validation.</summary>
    public string Field { get; }
}
