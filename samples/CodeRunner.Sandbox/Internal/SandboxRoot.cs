using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// The part of the host a job sees under bubblewrap: read-only binds of <c>/usr</c>, of the <c>/lib*</c>, <c>/bin</c>
/// and <c>/sbin</c> directories (recreated as symlinks where the host has merged them into /usr), and of the few files
/// of <c>/etc</c> the toolchains read. Nothing else of the host exists in the job's root: no repository, no build
/// output, no settings, no outbox, no host <c>/tmp</c> (and so no diagnostic sockets), no other job.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class SandboxRoot
{
    /// <summary>Where the meter is bound inside the sandbox.</summary>
    public const string MeterPath = "/.jobmeter";

    /// <summary>The job's working directory, HOME and only writable directory besides its tmpfs mounts.</summary>
    public const string BoxPath = "/box";

    private static readonly string[] TopLevel = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    /// <summary>The dynamic loader's cache (faster start, and libraries outside the default paths) and the
    /// alternatives links some toolchains resolve through (cc, c++ on Debian).</summary>
    private static readonly string[] EtcEntries = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/alternatives"];

    /// <summary>bubblewrap arguments for the system part of the root, computed from this host's layout.</summary>
    public static IReadOnlyList<string> SystemBinds()
    {
        var args = new List<string> { "--ro-bind", "/usr", "/usr" };
        foreach (string path in TopLevel)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                args.AddRange(["--symlink", target, path]);
            }
            else if (Directory.Exists(path))
            {
                args.AddRange(["--ro-bind", path, path]);
            }
        }

        foreach (string path in EtcEntries)
        {
            args.AddRange(["--ro-bind-try", path, path]);
        }

        return args;
    }
}
