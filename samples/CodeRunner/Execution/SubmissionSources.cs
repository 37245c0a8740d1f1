using System.Text;
using CodeRunner.Cli;
using CodeRunner.Sandbox;

namespace CodeRunner.Execution;

/// <summary>Builds the run's submissions: the built-in catalogue (optionally filtered) and files, language by extension.</summary>
internal static class SubmissionSources
{
    private static readonly Dictionary<string, int> LanguageByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".py"] = 71,
        [".js"] = 63,
        [".sh"] = 46,
        [".c"] = 50,
        [".cpp"] = 54,
        [".cc"] = 54,
        [".cxx"] = 54,
    };

    /// <exception cref="UsageException">An unknown built-in name, a missing file or an unknown extension.</exception>
    public static IReadOnlyList<SubmissionJob> Build(RunArguments arguments, LanguageRegistry languages)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(languages);
        var jobs = new List<SubmissionJob>();
        if (arguments.IncludeBuiltIn)
        {
            jobs.AddRange(BuiltIn(arguments.Only, languages));
        }

        foreach (string path in arguments.Files)
        {
            jobs.Add(FromFile(path, jobs.Count + 1));
        }

        return jobs;
    }

    private static IEnumerable<SubmissionJob> BuiltIn(IReadOnlyList<string> only, LanguageRegistry languages)
    {
        if (only.Count == 0)
        {
            // Entries whose toolchain is missing here are left out rather than shown as (unbilled) internal errors.
            return SubmissionCatalogue.For(languages).Select(ToJob);
        }

        string[] unknown = [.. only.Where(name => SubmissionCatalogue.All.All(e => e.Name != name))];
        if (unknown.Length > 0)
        {
            throw new UsageException($"No built-in submission named {string.Join(", ", unknown)}; --list shows them.");
        }

        // Named explicitly: run it even without its toolchain, so the user sees the 13 (and that it is not charged).
        return only.Distinct(StringComparer.Ordinal).Select(name => ToJob(SubmissionCatalogue.Get(name)));
    }

    private static SubmissionJob ToJob(CatalogueEntry entry) => new(entry.Name, entry.Submission, entry.ExpectedStatuses);

    private static SubmissionJob FromFile(string path, int position)
    {
        if (!LanguageByExtension.TryGetValue(Path.GetExtension(path), out int languageId))
        {
            throw new UsageException($"{path}: unknown extension; use one of {string.Join(' ', LanguageByExtension.Keys)}.");
        }

        string source;
        try
        {
            source = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: {ex.Message}", ex);
        }

        try
        {
            return new SubmissionJob(FileJobName(path, position), new Submission(source, languageId), [], FromFile: true);
        }
        catch (SubmissionValidationException ex)
        {
            throw new UsageException($"{path}: {ex.Message}", ex);
        }
    }

    /// <summary>"file-3-my-prog-py": unique within the run and safe inside an idempotency key.</summary>
    private static string FileJobName(string path, int position)
    {
        var name = new StringBuilder("file-").Append(position).Append('-');
        foreach (char c in Path.GetFileName(path).ToLowerInvariant())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return name.ToString();
    }
}
