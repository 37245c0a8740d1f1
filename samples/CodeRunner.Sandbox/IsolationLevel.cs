namespace CodeRunner.Sandbox;

/// <summary>How strongly submissions are isolated; detected at start.</summary>
public enum IsolationLevel
{
    /// <summary>No working sandbox (bubblewrap or the job meter is missing, or its probe failed), and running
    /// unsandboxed was not allowed. Every submission ends as 13 Internal Error.</summary>
    Unavailable,

    /// <summary>
    /// Explicitly allowed only (<see cref="SandboxOptions.AllowUnsandboxed"/>, the sample's <c>--unsafe-no-sandbox</c>):
    /// rlimits per process and, as root, a uid per job — but the job sees the host's files and network. Never for
    /// untrusted code.
    /// </summary>
    Unsandboxed,

    /// <summary>
    /// bubblewrap: each job in new user, PID, network, IPC, UTS and cgroup namespaces, with a private root made of
    /// read-only system directories, private tmpfs <c>/tmp</c>, <c>/dev/shm</c> and box, and (as root) a uid no other
    /// live job on the host has.
    /// </summary>
    Bubblewrap,
}

/// <summary>Human-readable descriptions of <see cref="IsolationLevel"/>.</summary>
public static class IsolationLevelExtensions
{
    /// <summary>One line saying what the level does and does not protect.</summary>
    public static string Describe(this IsolationLevel level) => level switch
    {
        IsolationLevel.Bubblewrap =>
            "bubblewrap: private read-only root, user + PID + network + IPC + UTS + cgroup namespaces, private tmpfs /tmp, /dev/shm and box; no network",
        IsolationLevel.Unsandboxed =>
            "UNSANDBOXED (--unsafe-no-sandbox): rlimits only; the job sees the host's files and network",
        _ => "no working sandbox: every submission ends as 13 Internal Error",
    };
}
