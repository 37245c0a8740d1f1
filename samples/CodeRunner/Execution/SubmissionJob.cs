using CodeRunner.Sandbox;

namespace CodeRunner.Execution;

/// <summary>One submission of the run: a built-in catalogue entry or a file from the command line.</summary>
/// <param name="Name">Stable name; part of the operation id, so a replayed run is recognised.</param>
/// <param name="Submission">What to run.</param>
/// <param name="ExpectedStatuses">What the catalogue expects (empty for files).</param>
/// <param name="FromFile">Given as a file on the command line: the report shows what it printed.</param>
internal sealed record SubmissionJob(string Name, Submission Submission, IReadOnlyList<JudgeStatus> ExpectedStatuses, bool FromFile = false);
