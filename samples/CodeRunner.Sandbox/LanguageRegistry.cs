using System.Diagnostics.CodeAnalysis;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using CodeRunner.Sandbox.Internal;

namespace CodeRunner.Sandbox;

/// <summary>
/// The languages of this sample, with Judge0's ids: Python 3 (71), JavaScript/Node (63), Bash (46), C (50), C++ (54).
/// <see cref="KnownIds"/> is what a submission may ask for; <see cref="Available"/> is what this machine can run
/// (a language is listed only when its toolchain was found at start).
/// </summary>
public sealed partial class LanguageRegistry
{
    /// <summary>Placeholder in a run command replaced by the heap size in MB (used by Node's <c>--max-old-space-size</c>).</summary>
    public const string MemoryMbPlaceholder = "{memory_mb}";

    private static readonly LanguageDefinition[] Definitions =
    [
        new(71, "Python", "python3", ["--version"], LanguageTier.Basic, "main.py",
            Compile: null, Run: python => [python, "main.py"], HeadroomKb: 0),
        new(63, "JavaScript (Node.js {0})", "node", ["--version"], LanguageTier.Basic, "main.js",
            Compile: null, Run: node => [node, $"--max-old-space-size={MemoryMbPlaceholder}", "main.js"], HeadroomKb: 1_048_576),
        new(46, "Bash", "bash", ["--version"], LanguageTier.Basic, "main.sh",
            Compile: null, Run: bash => [bash, "main.sh"], HeadroomKb: 0),
        new(50, "C (GCC {0})", "gcc", ["-dumpfullversion"], LanguageTier.Premium, "main.c",
            Compile: gcc => [gcc, "-O2", "-std=gnu17", "-o", "main", "main.c", "-lm"], Run: _ => ["./main"], HeadroomKb: 0),
        new(54, "C++ (GCC {0})", "g++", ["-dumpfullversion"], LanguageTier.Premium, "main.cpp",
            Compile: gxx => [gxx, "-O2", "-std=gnu++17", "-o", "main", "main.cpp"], Run: _ => ["./main"], HeadroomKb: 0),
    ];

    private readonly Dictionary<int, Language> _available;

    internal LanguageRegistry(IEnumerable<Language> available, IEnumerable<string> unavailable)
    {
        _available = available.ToDictionary(l => l.Id);
        Available = [.. _available.Values.OrderBy(l => l.Id)];
        Unavailable = [.. unavailable];
    }

    /// <summary>Judge0 ids a submission may use (whether or not the toolchain is present here).</summary>
    public static IReadOnlyList<int> KnownIds { get; } = [.. Definitions.Select(d => d.Id)];

    /// <summary>Languages whose toolchain was found, ordered by id.</summary>
    public IReadOnlyList<Language> Available { get; }

    /// <summary>One line per known language that is missing here, saying which tool was not found.</summary>
    public IReadOnlyList<string> Unavailable { get; }

    /// <summary>True when <paramref name="languageId"/> is one of <see cref="KnownIds"/>.</summary>
    public static bool IsKnown(int languageId) => Definitions.Any(d => d.Id == languageId);

    /// <summary>Finds an available language by Judge0 id.</summary>
    public bool TryGet(int languageId, [NotNullWhen(true)] out Language? language) =>
        _available.TryGetValue(languageId, out language);

    /// <summary>True when the language with this Judge0 id can run here.</summary>
    public bool IsAvailable(int languageId) => _available.ContainsKey(languageId);

    /// <summary>Finds each toolchain in the system directories and reads its version (a few short processes).</summary>
    [SupportedOSPlatform("linux")]
    internal static async Task<LanguageRegistry> DetectAsync(CancellationToken cancellationToken)
    {
        var available = new List<Language>();
        var unavailable = new List<string>();
        foreach (LanguageDefinition definition in Definitions)
        {
            string? tool = Toolchain.Find(definition.Tool);
            if (tool is null)
            {
                unavailable.Add($"{definition.Id} {string.Format(System.Globalization.CultureInfo.InvariantCulture, definition.NameFormat, "?")}: '{definition.Tool}' not found in {string.Join(':', Toolchain.SearchDirectories)}");
                continue;
            }

            ToolResult version = await Toolchain.RunAsync([tool, .. definition.VersionArgs], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            Match match = VersionPattern().Match(version.Stdout + version.Stderr);
            string versionText = match.Success ? match.Value : "unknown";
            available.Add(definition.ToLanguage(tool, versionText));
        }

        return new LanguageRegistry(available, unavailable);
    }

    [GeneratedRegex(@"\d+\.\d+(\.\d+)?")]
    private static partial Regex VersionPattern();

    private sealed record LanguageDefinition(
        int Id,
        string NameFormat,
        string Tool,
        string[] VersionArgs,
        LanguageTier Tier,
        string SourceFile,
        Func<string, string[]>? Compile,
        Func<string, string[]> Run,
        long HeadroomKb)
    {
        public Language ToLanguage(string toolPath, string version)
        {
            // "Python" and "Bash" carry the version alone, as in Judge0's names ("Python (3.8.1)", "Bash (5.0.0)").
            string name = NameFormat.Contains("{0}", StringComparison.Ordinal)
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, NameFormat, version)
                : $"{NameFormat} ({version})";
            return new Language(Id, name, Tier, SourceFile, Compile?.Invoke(toolPath), Run(toolPath))
            {
                AddressSpaceHeadroomKb = HeadroomKb,
            };
        }
    }
}
