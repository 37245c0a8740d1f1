using System.Globalization;
using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>How a job's CPU time, wall time, max RSS and exit status are measured.</summary>
internal enum JobMeterKind
{
    /// <summary>The compiled helper (<see cref="JobMeterSource"/>): microseconds, enforces the wall limit.</summary>
    Helper,

    /// <summary>GNU <c>/usr/bin/time</c>: centiseconds; the wall limit is enforced by the executor.</summary>
    GnuTime,
}

/// <summary>
/// The process that starts a job and reports on it. It writes its report to a file in the job's root directory, which
/// belongs to us and not to the sandbox user: metering must not trust anything the user's program can touch.
/// </summary>
internal sealed class JobMeter
{
    /// <summary>GNU time format parsed by <see cref="MeterReport.ParseGnuTime"/>.</summary>
    public const string GnuTimeFormat = "meter %U %S %e %M/%x";

    private const string GnuTimePath = "/usr/bin/time";

    private JobMeter(JobMeterKind kind, string executable)
    {
        Kind = kind;
        Executable = executable;
    }

    public JobMeterKind Kind { get; }

    public string Executable { get; }

    /// <summary>True when the meter itself stops the job at the wall limit (and still reports its CPU time).</summary>
    public bool EnforcesWallTime => Kind == JobMeterKind.Helper;

    public string Description => Kind == JobMeterKind.Helper
        ? "job meter helper (wait4 + getrusage(RUSAGE_CHILDREN), microsecond CPU time, wall limit enforced by the helper)"
        : "GNU time (getrusage of the job, 10 ms resolution, wall limit enforced by the executor)";

    /// <summary>
    /// Compiles the helper into a private directory (mode 700) when a C compiler exists, else falls back to GNU time.
    /// Returns null when neither is available: then no job can be measured and every run is an internal error.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static async Task<JobMeter?> CreateAsync(bool preferGnuTime, CancellationToken cancellationToken)
    {
        if (!preferGnuTime)
        {
            JobMeter? helper = await TryCompileHelperAsync(cancellationToken).ConfigureAwait(false);
            if (helper is not null)
            {
                return helper;
            }
        }

        return File.Exists(GnuTimePath) ? new JobMeter(JobMeterKind.GnuTime, GnuTimePath) : null;
    }

    /// <summary>The argument vector that runs <paramref name="job"/> under the meter.</summary>
    public IReadOnlyList<string> Wrap(string metaPath, TimeSpan wallLimit, IEnumerable<string> job)
    {
        var argv = Kind == JobMeterKind.Helper
            ? new List<string> { Executable, metaPath, ((long)Math.Ceiling(wallLimit.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) }
            : new List<string> { Executable, "-o", metaPath, "-f", GnuTimeFormat, "--" };
        argv.AddRange(job);
        return argv;
    }

    public MeterReport? Read(string metaPath)
    {
        if (!File.Exists(metaPath))
        {
            return null;
        }

        string text = File.ReadAllText(metaPath);
        return Kind == JobMeterKind.Helper ? MeterReport.ParseHelper(text) : MeterReport.ParseGnuTime(text);
    }

    [SupportedOSPlatform("linux")]
    private static async Task<JobMeter?> TryCompileHelperAsync(CancellationToken cancellationToken)
    {
        string? compiler = Toolchain.Find("gcc") ?? Toolchain.Find("cc");
        if (compiler is null)
        {
            return null;
        }

        // mkdtemp: a fresh directory with mode 700, so nobody can swap the binary we are about to run as root.
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
            return null;
        }

        return new JobMeter(JobMeterKind.Helper, binary);
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort at process exit.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort at process exit.
        }
    }
}
