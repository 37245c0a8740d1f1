namespace CodeRunner.Sandbox;

/// <summary>
/// One program to run, in Judge0's terms: source code, <c>language_id</c>, stdin, expected output and limits.
/// Validated on construction: an invalid field throws <see cref="SubmissionValidationException"/> naming it.
/// </summary>
public sealed record Submission
{
    /// <summary>Creates a submission.</summary>
    /// <param name="sourceCode">Program text; must not be empty.</param>
    /// <param name="languageId">Judge0 language id; one of <see cref="LanguageRegistry.KnownIds"/>.</param>
    /// <param name="stdin">Standard input, or null for none.</param>
    /// <param name="expectedOutput">Expected stdout, or null to accept any output of a successful run.</param>
    /// <param name="limits">Limits, or null for Judge0's defaults.</param>
    /// <exception cref="SubmissionValidationException">Empty source or a language id this sample does not know.</exception>
    public Submission(string sourceCode, int languageId, string? stdin = null, string? expectedOutput = null, SubmissionLimits? limits = null)
    {
        if (string.IsNullOrWhiteSpace(sourceCode))
        {
            throw new SubmissionValidationException("source_code", "source_code is required and must not be empty.");
        }

        if (!LanguageRegistry.IsKnown(languageId))
        {
            throw new SubmissionValidationException(
                "language_id",
                $"language_id {languageId} is not supported; supported ids are {string.Join(", ", LanguageRegistry.KnownIds)}.");
        }

        SourceCode = sourceCode;
        LanguageId = languageId;
        Stdin = stdin;
        ExpectedOutput = expectedOutput;
        Limits = limits ?? SubmissionLimits.Default;
    }

    /// <summary>Program text (Judge0 <c>source_code</c>).</summary>
    public string SourceCode { get; }

    /// <summary>Judge0 <c>language_id</c>.</summary>
    public int LanguageId { get; }

    /// <summary>Standard input (Judge0 <c>stdin</c>), or null.</summary>
    public string? Stdin { get; }

    /// <summary>Expected stdout (Judge0 <c>expected_output</c>), compared after trimming trailing whitespace.</summary>
    public string? ExpectedOutput { get; }

    /// <summary>Resource limits of the run.</summary>
    public SubmissionLimits Limits { get; }
}
