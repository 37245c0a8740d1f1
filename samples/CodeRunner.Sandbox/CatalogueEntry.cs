namespace CodeRunner.Sandbox;

/// <summary>A named, built-in submission of the sample, with the status(es) it is expected to end with.</summary>
/// <param name="Name">Stable name, e.g. <c>python-hello</c> or <c>hostile-fork-bomb</c>.</param>
/// <param name="Description">What the program does and why it ends as it does.</param>
/// <param name="Submission">The submission to run.</param>
/// <param name="ExpectedStatuses">
/// The acceptable final statuses; usually one. More than one only where the kernel decides the race (the fork bomb).
/// </param>
public sealed record CatalogueEntry(
    string Name,
    string Description,
    Submission Submission,
    IReadOnlyList<JudgeStatus> ExpectedStatuses)
{
    /// <summary>True when this entry is one of the hostile programs (its name starts with <c>hostile-</c>).</summary>
    public bool IsHostile => Name.StartsWith("hostile-", StringComparison.Ordinal);

    /// <summary>True when <paramref name="status"/> is one of <see cref="ExpectedStatuses"/>.</summary>
    public bool Expects(JudgeStatus status) => ExpectedStatuses.Contains(status);
}
