using System.Diagnostics;
using System.Reflection;

namespace CodeRunner.Tests.Sample;

/// <summary>Runs the built sample (<c>dotnet samples/CodeRunner/bin/&lt;config&gt;/net10.0/CodeRunner.dll</c>) as a child process.</summary>
internal static class SampleProcess
{
    /// <summary>The sample built in the same configuration as these tests (the test project references it).</summary>
    public static string SampleDll { get; } = Locate();

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan bound, params string[] args) =>
        RunAsync(bound, new Dictionary<string, string>(), args);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan bound, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(SampleDll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test must use the embedded emulator whatever the CI environment says.
        foreach (string variable in new[] { "PAYGENTIC_API_KEY", "PAYGENTIC_BASE_URL", "PAYGENTIC_MERCHANT_ID" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // this child only, by its PID
            await process.WaitForExitAsync();
            throw new TimeoutException($"The sample did not finish within {bound}.\nstdout:\n{await stdout}\nstderr:\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        string configuration = typeof(SampleProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Paygentic.Sdk.sln")))
            {
                return Path.Combine(directory.FullName, "samples", "CodeRunner", "bin", configuration, "net10.0", "CodeRunner.dll");
            }
        }

        throw new InvalidOperationException("Paygentic.Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}
