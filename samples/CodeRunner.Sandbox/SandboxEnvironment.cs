using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using CodeRunner.Sandbox.Internal;

namespace CodeRunner.Sandbox;

/// <summary>
/// What this machine offers, detected once at start: whether bubblewrap works (a trivial job is run through the whole
/// chain), how a job's memory is bounded, how jobs are measured, and which languages have a toolchain.
/// </summary>
public sealed class SandboxEnvironment
{
    /// <summary>The Debian package that provides bubblewrap, and how to install it.</summary>
    public const string InstallHint = "install bubblewrap (Debian/Ubuntu: apt-get install -y bubblewrap)";

    private SandboxEnvironment(
        SandboxOptions options,
        IsolationLevel isolation,
        MemoryEnforcement memory,
        LanguageRegistry languages,
        SandboxCommand? command,
        HostUidPool? uids,
        IReadOnlyList<string> probeNotes)
    {
        Options = options;
        Isolation = isolation;
        Memory = memory;
        Languages = languages;
        Command = command;
        Uids = uids;
        ProbeNotes = probeNotes;
    }

    /// <summary>The options detection ran with (and the executor uses).</summary>
    public SandboxOptions Options { get; }

    /// <summary>The isolation every submission runs under.</summary>
    public IsolationLevel Isolation { get; }

    /// <summary>How a job's memory limit is enforced.</summary>
    public MemoryEnforcement Memory { get; }

    /// <summary>The isolation line printed at start: the level, the job's uid and how its memory is bounded.</summary>
    public string IsolationDescription => Isolation switch
    {
        IsolationLevel.Unavailable => Isolation.Describe(),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Isolation.Describe()}; {UidDescription}; job memory: {MemoryDescription}"),
    };

    /// <summary>True when jobs run as uids of <see cref="SandboxOptions.SandboxUidBase"/>'s range (we are root).</summary>
    public bool DropsToSandboxUid => Uids is not null;

    /// <summary>The languages available here.</summary>
    public LanguageRegistry Languages { get; }

    /// <summary>How CPU time, wall time and memory are measured.</summary>
    public static string MeterDescription =>
        "job meter (the job's PID 1: rlimits, wall limit, CPU time of every process of the job, microseconds)";

    /// <summary>Why stronger isolation was rejected, and what is missing, one line each.</summary>
    public IReadOnlyList<string> ProbeNotes { get; }

    internal SandboxCommand? Command { get; }

    internal HostUidPool? Uids { get; }

    private string UidDescription => Uids is null
        ? "jobs run as this process's uid (not root: no uid per job)"
        : string.Create(CultureInfo.InvariantCulture,
            $"a host-unique uid per job from {Options.SandboxUidBase}-{Options.SandboxUidBase + Options.SandboxUidCount - 1} (flock in {Options.UidLockDirectory})");

    private string MemoryDescription => Memory switch
    {
        MemoryEnforcement.CgroupV1 => "cgroup v1 memory + pids limit per job",
        MemoryEnforcement.RssWatchdog => "watchdog summing the RSS of the job's processes (no cgroup could be created)",
        _ => "RLIMIT_AS per process",
    };

    /// <summary>
    /// Detects the environment: compiles the job meter, finds the toolchains, then runs <c>true</c> under bubblewrap
    /// (or, when <see cref="SandboxOptions.AllowUnsandboxed"/> is set and bubblewrap does not work, unsandboxed).
    /// </summary>
    public static async Task<SandboxEnvironment> DetectAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var notes = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            notes.Add("the sandbox needs Linux (namespaces, rlimits, /proc)");
            return new SandboxEnvironment(options, IsolationLevel.Unavailable, MemoryEnforcement.PerProcessAddressSpace, new LanguageRegistry([], []), null, null, notes);
        }

        (JobMeter? meter, string? meterFailure) = await JobMeter.CreateAsync(cancellationToken).ConfigureAwait(false);
        LanguageRegistry languages = await LanguageRegistry.DetectAsync(cancellationToken).ConfigureAwait(false);
        SandboxTools? tools = SandboxTools.Find();
        if (options.BubblewrapMissing && tools is not null)
        {
            tools = tools with { Bwrap = null };
        }

        if (meter is null || tools is null)
        {
            notes.Add(meterFailure ?? "sh or env not found");
            return new SandboxEnvironment(options, IsolationLevel.Unavailable, MemoryEnforcement.PerProcessAddressSpace, languages, null, null, notes);
        }

        HostUidPool? uids = null;
        if (Environment.IsPrivilegedProcess)
        {
            if (tools.Setpriv is null)
            {
                notes.Add("setpriv (util-linux) not found: as root every job must drop to its own uid");
                return new SandboxEnvironment(options, IsolationLevel.Unavailable, MemoryEnforcement.PerProcessAddressSpace, languages, null, null, notes);
            }

            uids = new HostUidPool(options.UidLockDirectory, options.SandboxUidBase, options.SandboxUidCount, options.TimeProvider);
            uids.EnsureLockDirectory();
        }

        string? cgroupFailure = options.UseCgroups ? JobCgroup.Probe() : "cgroups turned off";
        var command = new SandboxCommand(tools, meter, options.TmpfsSizeBytes);
        if (tools.Bwrap is null)
        {
            notes.Add("bubblewrap (bwrap) not found: " + InstallHint);
        }
        else
        {
            MemoryEnforcement memory = cgroupFailure is null ? MemoryEnforcement.CgroupV1 : MemoryEnforcement.RssWatchdog;
            var bubblewrap = new SandboxEnvironment(options, IsolationLevel.Bubblewrap, memory, languages, command, uids, notes);
            string? failure = await bubblewrap.ProbeAsync(cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                if (cgroupFailure is not null)
                {
                    notes.Add("no cgroup per job (" + cgroupFailure + "): memory is bounded by a watchdog");
                }

                return bubblewrap;
            }

            notes.Add("bubblewrap does not work here: " + failure);
        }

        if (!options.AllowUnsandboxed)
        {
            return new SandboxEnvironment(options, IsolationLevel.Unavailable, MemoryEnforcement.PerProcessAddressSpace, languages, null, null, notes);
        }

        var unsandboxed = new SandboxEnvironment(options, IsolationLevel.Unsandboxed, MemoryEnforcement.PerProcessAddressSpace, languages, command, uids, notes);
        string? unsandboxedFailure = await unsandboxed.ProbeAsync(cancellationToken).ConfigureAwait(false);
        if (unsandboxedFailure is null)
        {
            return unsandboxed;
        }

        notes.Add("unsandboxed: " + unsandboxedFailure);
        return new SandboxEnvironment(options, IsolationLevel.Unavailable, MemoryEnforcement.PerProcessAddressSpace, languages, null, null, notes);
    }

    /// <summary>
    /// The same detection results with other options or languages, without probing again (tests use it to point jobs
    /// at their own work root, to pretend a toolchain is missing, or to bound memory with the watchdog).
    /// </summary>
    [SupportedOSPlatform("linux")]
    internal SandboxEnvironment With(
        SandboxOptions? options = null, LanguageRegistry? languages = null, MemoryEnforcement? memory = null, IsolationLevel? isolation = null)
    {
        options ??= Options;
        HostUidPool? uids = Uids is null || (options.SandboxUidBase == Options.SandboxUidBase && options.SandboxUidCount == Options.SandboxUidCount
            && options.UidLockDirectory == Options.UidLockDirectory)
            ? Uids
            : new HostUidPool(options.UidLockDirectory, options.SandboxUidBase, options.SandboxUidCount, options.TimeProvider);
        return new(options, isolation ?? Isolation, memory ?? Memory, languages ?? Languages, Command, uids, ProbeNotes);
    }

    /// <summary>A multi-line report for logs and the sample's start-up banner.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"Isolation: {Isolation} — {IsolationDescription}");
        text.AppendLine($"Meter: {MeterDescription}");
        foreach (Language language in Languages.Available)
        {
            text.AppendLine($"Language {language.Id}: {language.Name} [{language.Tier}]");
        }

        foreach (string missing in Languages.Unavailable)
        {
            text.AppendLine($"Unavailable: {missing}");
        }

        foreach (string note in ProbeNotes)
        {
            text.AppendLine($"Note: {note}");
        }

        return text.ToString();
    }

    [SupportedOSPlatform("linux")]
    private async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        string? trueCommand = Toolchain.Find("true");
        if (trueCommand is null)
        {
            return "'true' not found";
        }

        var limits = new JobLimits(2, TimeSpan.FromSeconds(5), 256_000, 1_024, 16);
        JobSession? session = null;
        string? cleanupFailure = null;
        try
        {
            session = await JobSession.OpenAsync(this, cancellationToken, kind: "probe").ConfigureAwait(false);
            StepResult step = await session.RunStepAsync("probe", [trueCommand], limits, stdin: null, BoxMode.PrivateTmpfs, cancellationToken).ConfigureAwait(false);
            cleanupFailure = await session.CloseAsync().ConfigureAwait(false);
            session = null;
            return step.Report is { ExitCode: 0, Error: null } && cleanupFailure is null
                ? null
                : $"probe exited {step.Outcome.ExitCode}: {step.Report?.Error ?? cleanupFailure ?? step.Outcome.Stderr.Text.Trim()}";
        }
        catch (SandboxFailureException ex)
        {
            return ex.Message;
        }
        finally
        {
            if (session is not null)
            {
                await session.CloseAsync().ConfigureAwait(false);
            }
        }
    }
}
