using System.Globalization;
using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// The process that starts a job, sets its rlimits, waits for the whole job and reports on it (see
/// <see cref="JobMeterSource"/>). Compiled once at start into a private directory.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class JobMeter
{
    private JobMeter(string executable)
    {
        Executable = executable;
    }

    /// <summary>The compiled meter on the host (bound read-only into each sandbox).</summary>
    public string Executable { get; }

    /// <summary>
    /// Compiles the meter. Returns null, with the reason, when no C compiler is installed or compiling failed: then no
    /// job can be measured and the sandbox is unavailable.
    /// </summary>
    public static async Task<(JobMeter? Meter, string? Failure)> CreateAsync(CancellationToken cancellationToken)
    {
        string? compiler = Toolchain.Find("gcc") ?? Toolchain.Find("cc");
        if (compiler is null)
        {
            return (null, "no C compiler (gcc or cc) to build the job meter");
        }

        // mkdtemp: a fresh directory nobody else can write to, so nobody can swap the binary we run as root. It is then
        // opened for traversal (711, binary 755): bubblewrap, started as the sandbox uid, binds it into each job.
        DirectoryInfo directory = Directory.CreateTempSubdirectory("coderunner-meter-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(directory.FullName);
        string source = Path.Combine(directory.FullName, "jobmeter.c");
        string binary = Path.Combine(directory.FullName, "jobmeter");
        await File.WriteAllTextAsync(source, JobMeterSource.Code, cancellationToken).ConfigureAwait(false);

        ToolResult result = await Toolchain.RunAsync(
            [compiler, "-O2", "-Wall", "-o", binary, source], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || !File.Exists(binary))
        {
            TryDelete(directory.FullName);
            return (null, "the job meter did not compile: " + result.Stderr.Trim());
        }

        const UnixFileMode Traverse = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(directory.FullName, Traverse);
        File.SetUnixFileMode(binary, Traverse | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return (new JobMeter(binary), null);
    }

    /// <summary>The meter's arguments for one step, followed by the program's.</summary>
    public static IReadOnlyList<string> Arguments(string meterPath, JobLimits limits, IEnumerable<string> program)
    {
        List<string> argv =
        [
            meterPath,
            Invariant((long)Math.Ceiling(limits.Wall.TotalMilliseconds)),
            Invariant(limits.CpuSeconds),
            Invariant(limits.AddressSpaceKb is long asKb ? asKb * 1024 : 0),
            Invariant(limits.FileSizeKb * 1024),
            Invariant(limits.Processes),
            Invariant(JobLimits.StackKb * 1024),
            Invariant(JobLimits.OpenFiles),
            "--",
        ];
        argv.AddRange(program);
        return argv;
    }

    public static MeterReport? Read(string reportPath) =>
        File.Exists(reportPath) ? MeterReport.Parse(File.ReadAllText(reportPath)) : null;

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort at process exit.
        }
    }
}
