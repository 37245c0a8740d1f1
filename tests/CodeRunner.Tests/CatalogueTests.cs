using System.Globalization;
using CodeRunner.Sandbox;
using CodeRunner.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CodeRunner.Tests;

public class CatalogueTests(ITestOutputHelper output)
{
    /// <summary>What the sample will do at start: run every built-in submission whose language is available here.</summary>
    [SandboxFact(IsolationLevel.Bubblewrap)]
    public async Task Every_available_entry_ends_with_its_expected_status()
    {
        var failures = new List<string>();
        foreach (var entry in SubmissionCatalogue.For(TestSandbox.Environment.Languages))
        {
            var result = await TestSandbox.RunAsync(entry.Submission);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{entry.Name,-26} {result.Status,-28} time={result.Time} wall={result.WallTime} mem={result.Memory} ms={result.ExecutionMilliseconds} {result.Message}"));
            if (!entry.Expects(result.Status))
            {
                failures.Add($"{entry.Name}: {result.Status} ({result.Message}; {result.Stderr})");
            }
        }

        failures.Should().BeEmpty();
    }
}
