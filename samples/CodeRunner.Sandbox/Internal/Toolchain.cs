using System.Runtime.Versioning;

namespace CodeRunner.Sandbox.Internal;

/// <summary>Result of a short-lived tool run outside the sandbox (version probes, compiling the meter).</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr, bool TimedOut);

/// <summary>Finds system tools and runs trusted, short commands outside the sandbox.</summary>
[SupportedOSPlatform("linux")]
internal static class Toolchain
{
    /// <summary>
    /// Only system directories are searched, never our own PATH: a toolchain found through e.g. a pyenv shim under
    /// /root would be unreachable for the unprivileged sandbox uid (and would depend on our environment).
    /// </summary>
    public static readonly IReadOnlyList<string> SearchDirectories = ["/usr/local/bin", "/usr/bin", "/bin"];

    /// <summary>The absolute path of an executable that everybody may run, or null.</summary>
    public static string? Find(string name)
    {
        foreach (string directory in SearchDirectories)
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)
                && (File.GetUnixFileMode(candidate) & UnixFileMode.OtherExecute) != 0)
            {
                return candidate;
            }
        }

        return null;
    }

    public static async Task<ToolResult> RunAsync(IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            ChildOutcome outcome = await ChildProcess.RunAsync(
                argv, Path.GetTempPath(), stdin: null, timeout, 64 * 1024, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            return new ToolResult(outcome.ExitCode, outcome.Stdout.Text, outcome.Stderr.Text, outcome.KilledByDeadline);
        }
        catch (SandboxFailureException ex)
        {
            return new ToolResult(-1, string.Empty, ex.Message, TimedOut: false);
        }
    }
}
