using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>What one step (compile or run) of a job produced.</summary>
/// <param name="Outcome">The launcher's exit and the captured output.</param>
/// <param name="Report">The meter's report, or null when it never reported.</param>
/// <param name="MemoryExceeded">The job's memory limit was hit: the cgroup recorded an OOM kill, or the watchdog
/// killed the job.</param>
internal sealed record StepResult(ChildOutcome Outcome, MeterReport? Report, bool MemoryExceeded);

/// <summary>
/// One job on the host: its uid (held host-wide while the job lives), its directory, and the steps run in it. Close it
/// in a <c>finally</c>: closing removes the directory and releases the uid, and says why when removal failed.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class JobSession
{
    /// <summary>
    /// Extra wall time before the launcher is killed. The meter enforces the wall limit itself and reports; this only
    /// stops a meter that hung, so it is generous enough for a loaded machine to finish a report in time.
    /// </summary>
    private static readonly TimeSpan Backstop = TimeSpan.FromSeconds(5);

    private readonly SandboxEnvironment _environment;
    private readonly HostUidPool.Lease? _uid;

    private JobSession(SandboxEnvironment environment, HostUidPool.Lease? uid, JobDirectory directory)
    {
        _environment = environment;
        _uid = uid;
        Directory = directory;
    }

    public JobDirectory Directory { get; }

    public int? Uid => _uid?.Uid;

    /// <exception cref="SandboxFailureException">The job directory could not be created.</exception>
    public static async Task<JobSession> OpenAsync(SandboxEnvironment environment, CancellationToken cancellationToken, string kind = "job")
    {
        HostUidPool.Lease? uid = environment.Uids is { } pool ? await pool.AcquireAsync(cancellationToken).ConfigureAwait(false) : null;
        try
        {
            return new JobSession(environment, uid, JobDirectory.Create(environment.Options.WorkRoot ?? Path.GetTempPath(), uid?.Uid, kind));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SandboxFailureException)
        {
            uid?.Dispose();
            throw new SandboxFailureException("Could not create the job directory: " + ex.Message, ex);
        }
    }

    public async Task<StepResult> RunStepAsync(
        string step, IEnumerable<string> program, JobLimits limits, string? stdin, BoxMode boxMode, CancellationToken cancellationToken)
    {
        SandboxOptions options = _environment.Options;
        string report = Directory.ReportPath(step);
        using JobCgroup? cgroup = _environment.Memory == MemoryEnforcement.CgroupV1
            ? JobCgroup.Create(Directory.Name + "-" + step, limits.MemoryKb, limits.Processes + SandboxCommand.OverheadProcesses)
            : null;
        MemoryWatchdog? watchdog = _environment.Memory == MemoryEnforcement.RssWatchdog
            ? new MemoryWatchdog(limits.MemoryKb, options.TimeProvider)
            : null;
        ChildOutcome outcome;
        try
        {
            IReadOnlyList<string> argv = _environment.Command!.Build(
                _environment.Isolation, Uid, limits, report, cgroup?.ProcFiles ?? [], Directory.Box, boxMode, program);
            // Under bubblewrap the job's working directory is set inside its root; the launcher starts from "/".
            string workingDirectory = _environment.Isolation == IsolationLevel.Bubblewrap ? "/" : Directory.Box;
            outcome = await ChildProcess.RunAsync(
                argv, workingDirectory, stdin, limits.Wall + Backstop, options.OutputCapBytes, options.TimeProvider, cancellationToken,
                onStarted: watchdog is null ? null : watchdog.Watch).ConfigureAwait(false);
        }
        finally
        {
            if (watchdog is not null)
            {
                await watchdog.DisposeAsync().ConfigureAwait(false);
            }
        }

        bool memoryExceeded = cgroup?.OomKilled() == true || watchdog?.Exceeded == true;
        return new StepResult(outcome, JobMeter.Read(report), memoryExceeded);
    }

    /// <summary>Removes the job directory and releases the uid. Never throws.</summary>
    /// <returns>Null when everything was removed, else what was left and why.</returns>
    public async Task<string?> CloseAsync()
    {
        try
        {
            return await Directory.RemoveAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SandboxFailureException)
        {
            return ex.Message;
        }
        finally
        {
            _uid?.Dispose();
        }
    }
}
