using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Paygentic.Sdk.Tests.Docs;

/// <summary>
/// Every <c>```csharp</c> block of the repository README and of each package README compiles, as a program of its own,
/// against the built packages (with a project's default implicit usings and nothing else): a failure names the block
/// and the compiler's errors.
/// </summary>
public sealed partial class ReadmeCompilationTests
{
    // What `dotnet new console` puts in scope; everything else a block uses must be in its own `using` lines.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>The READMEs whose C# must compile: the repository's and one per package.</summary>
    public static readonly string[] Readmes =
    [
        "README.md",
        "src/Paygentic.Sdk/README.md",
        "src/Paygentic.Sdk.Outbox.Sqlite/README.md",
        "src/Paygentic.Sdk.Testing/README.md",
    ];

    public static TheoryData<string> Blocks()
    {
        var data = new TheoryData<string>();
        foreach (var block in Readmes.SelectMany(Extract))
        {
            data.Add(block.Name);
        }

        return data;
    }

    [Fact]
    public void Every_readme_has_csharp_blocks_and_every_package_has_a_readme()
    {
        foreach (var readme in Readmes)
        {
            Extract(readme).Should().NotBeEmpty($"{readme} shows its package in C#");
        }
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void The_block_compiles_against_the_built_packages(string name)
    {
        var block = Readmes.SelectMany(Extract).Single(b => b.Name == name);
        var compilation = CSharpCompilation.Create(
            "ReadmeBlock",
            [
                CSharpSyntaxTree.ParseText(ImplicitUsings, Parse, path: "ImplicitUsings.cs"),
                CSharpSyntaxTree.ParseText(block.Code, Parse, path: block.Name),
            ],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Location.GetLineSpan().StartLinePosition.Line + block.FirstLine}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();

        errors.Should().BeEmpty($"the C# block {block.Name} must compile as written (README line numbers)");
    }

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    private static IEnumerable<Block> Extract(string relativePath)
    {
        var path = Path.Combine(RepositoryRoot(), relativePath);
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            var start = i + 1;
            var end = Array.FindIndex(lines, start, l => l.Trim() == "```");
            end.Should().BeGreaterThan(0, $"the block at {relativePath}:{i + 1} is closed");
            yield return new Block($"{relativePath}:{start}", start + 1, string.Join('\n', lines[start..end]));
            i = end;
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Paygentic.Sdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Paygentic.Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    // The framework (with ASP.NET Core) and this test's dependencies: the packages as the solution built them.
    private static ImmutableArray<MetadataReference> LoadReferences() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !NotAReference().IsMatch(Path.GetFileName(p)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];

    [GeneratedRegex(@"^(Microsoft\.CodeAnalysis|Paygentic\.Emulator|xunit|Microsoft\.TestPlatform|testhost)", RegexOptions.IgnoreCase)]
    private static partial Regex NotAReference();

    private sealed record Block(string Name, int FirstLine, string Code);
}
