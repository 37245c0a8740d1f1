using System.Runtime.Versioning;
using System.Text;
using CodeRunner.Sandbox.Internal;

namespace CodeRunner.Sandbox;

/// <summary>
/// What this machine offers, detected once at start: the strongest isolation that actually works (each level is
/// tried with a trivial command), how jobs are measured, and which languages have a toolchain.
/// </summary>
public sealed class SandboxEnvironment
{
    private SandboxEnvironment(
        SandboxOptions options,
        IsolationLevel isolation,
        LanguageRegistry languages,
        JobMeter? meter,
        SandboxTools? tools,
        IReadOnlyList<string> probeNotes)
    {
        Options = options;
        Isolation = isolation;
        Languages = languages;
        Meter = meter;
        Tools = tools;
        ProbeNotes = probeNotes;
    }

    /// <summary>The options detection ran with (and the executor uses).</summary>
    public SandboxOptions Options { get; }

    /// <summary>The isolation every submission runs under.</summary>
    public IsolationLevel Isolation { get; }

    /// <summary>One line describing <see cref="Isolation"/>.</summary>
    public string IsolationDescription => Isolation.Describe();

    /// <summary>True when we run as root, so each job drops to an unprivileged uid from the pool.</summary>
    public bool DropsToSandboxUid => Isolation is IsolationLevel.NamespacesAndUidDrop
        || (Isolation == IsolationLevel.RlimitsOnly && Environment.IsPrivilegedProcess && Tools?.Setpriv is not null);

    /// <summary>The languages available here.</summary>
    public LanguageRegistry Languages { get; }

    /// <summary>How CPU time, wall time and memory are measured.</summary>
    public string MeterDescription => Meter?.Description ?? "none (no C compiler and no /usr/bin/time)";

    /// <summary>Why stronger isolation levels were rejected, one line each.</summary>
    public IReadOnlyList<string> ProbeNotes { get; }

    internal JobMeter? Meter { get; }

    internal SandboxTools? Tools { get; }

    /// <summary>
    /// Detects the environment: compiles the job meter (or falls back to GNU time), finds the toolchains, then tries
    /// each isolation level from <see cref="SandboxOptions.MaxIsolation"/> down and keeps the first that runs
    /// <c>true</c> successfully. Takes well under a second here.
    /// </summary>
    public static async Task<SandboxEnvironment> DetectAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var notes = new List<string>();
        if (!OperatingSystem.IsLinux())
        {
            notes.Add("the sandbox needs Linux (namespaces, rlimits, /proc)");
            return new SandboxEnvironment(options, IsolationLevel.Unavailable, new LanguageRegistry([], []), null, null, notes);
        }

        JobMeter? meter = await JobMeter.CreateAsync(options.PreferGnuTime, cancellationToken).ConfigureAwait(false);
        LanguageRegistry languages = await LanguageRegistry.DetectAsync(cancellationToken).ConfigureAwait(false);
        SandboxTools? tools = SandboxTools.Find();
        if (meter is null || tools is null)
        {
            notes.Add(meter is null ? "no job meter: neither a C compiler nor /usr/bin/time" : "prlimit or env not found");
            return new SandboxEnvironment(options, IsolationLevel.Unavailable, languages, meter, tools, notes);
        }

        var candidate = new SandboxEnvironment(options, IsolationLevel.Unavailable, languages, meter, tools, notes);
        foreach (IsolationLevel level in new[] { IsolationLevel.NamespacesAndUidDrop, IsolationLevel.UserNamespace, IsolationLevel.RlimitsOnly })
        {
            if (level > options.MaxIsolation)
            {
                continue;
            }

            string? failure = await candidate.ProbeAsync(level, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                return new SandboxEnvironment(options, level, languages, meter, tools, notes);
            }

            notes.Add($"{level}: {failure}");
        }

        return candidate;
    }

    /// <summary>
    /// The same detection results with other options or languages, without probing again (tests use it to point jobs
    /// at their own work root or to pretend a toolchain is missing). The isolation level is kept as detected.
    /// </summary>
    internal SandboxEnvironment With(SandboxOptions? options = null, LanguageRegistry? languages = null) =>
        new(options ?? Options, Isolation, languages ?? Languages, Meter, Tools, ProbeNotes);

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
            text.AppendLine($"Rejected: {note}");
        }

        return text.ToString();
    }

    [SupportedOSPlatform("linux")]
    private async Task<string?> ProbeAsync(IsolationLevel level, CancellationToken cancellationToken)
    {
        bool needsRoot = level == IsolationLevel.NamespacesAndUidDrop;
        if (needsRoot && !Environment.IsPrivilegedProcess)
        {
            return "needs root";
        }

        if (level != IsolationLevel.RlimitsOnly && Tools!.Unshare is null)
        {
            return "unshare not found";
        }

        if (needsRoot && Tools!.Setpriv is null)
        {
            return "setpriv not found";
        }

        string? trueCommand = Toolchain.Find("true");
        if (trueCommand is null)
        {
            return "'true' not found";
        }

        var probe = new SandboxEnvironment(Options, level, Languages, Meter, Tools, ProbeNotes);
        SandboxUidPool.Lease? lease = probe.DropsToSandboxUid
            ? await SandboxUidPool.For(Options.SandboxUidBase, Options.SandboxUidCount).AcquireAsync(cancellationToken).ConfigureAwait(false)
            : null;
        try
        {
            using JobDirectory job = JobDirectory.Create(Options.WorkRoot ?? Path.GetTempPath(), lease?.Uid);
            var limits = new JobLimits(2, TimeSpan.FromSeconds(5), 256_000, 1_024, 16);
            string meta = job.MetaPath("probe");
            IReadOnlyList<string> argv = new SandboxCommand(Tools!, Meter!).Build(level, lease?.Uid, limits, meta, job.Box, [trueCommand]);
            ChildOutcome outcome = await ChildProcess.RunAsync(
                argv, job.Box, stdin: null, TimeSpan.FromSeconds(10), 4096, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            MeterReport? report = Meter!.Read(meta);
            if (outcome.ExitCode == 0 && report is { ExitCode: 0 })
            {
                return null;
            }

            return $"probe exited {outcome.ExitCode}: {outcome.Stderr.Text.Trim()}";
        }
        catch (SandboxFailureException ex)
        {
            return ex.Message;
        }
        finally
        {
            lease?.Dispose();
        }
    }
}
