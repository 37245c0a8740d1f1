namespace CodeRunner.Sandbox.Internal;

/// <summary>Judge0's output check: trailing whitespace of every line and of the whole text is ignored.</summary>
internal static class OutputComparison
{
    public static bool Matches(string? actual, string expected) =>
        string.Equals(Normalize(actual ?? string.Empty), Normalize(expected), StringComparison.Ordinal);

    private static string Normalize(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(line => line.TrimEnd())).TrimEnd();
}
