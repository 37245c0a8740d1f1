namespace CodeRunner.Sandbox;

/// <summary>How strongly submissions are isolated; the executor detects the strongest that works at start.</summary>
public enum IsolationLevel
{
    /// <summary>
    /// Nothing usable: the probes failed or no job meter exists. Every submission ends as 13 Internal Error.
    /// </summary>
    Unavailable,

    /// <summary>
    /// rlimits only (CPU, address space, file size, processes, core, open files), plus a uid drop when we are root.
    /// No network isolation and no PID namespace.
    /// </summary>
    RlimitsOnly,

    /// <summary>
    /// Unprivileged: a new user namespace (we appear as root inside, with no capabilities outside), plus network
    /// (no interfaces but a down loopback), PID and mount namespaces, plus rlimits.
    /// </summary>
    UserNamespace,

    /// <summary>
    /// As root: new PID, network and mount namespaces, and a drop to a dedicated unprivileged uid (no capabilities,
    /// no supplementary groups, no_new_privs) before the rlimits apply. Needed because RLIMIT_NPROC is not enforced
    /// for root.
    /// </summary>
    NamespacesAndUidDrop,
}

/// <summary>Human-readable descriptions of <see cref="IsolationLevel"/>.</summary>
public static class IsolationLevelExtensions
{
    /// <summary>One line saying what the level does and does not protect.</summary>
    public static string Describe(this IsolationLevel level) => level switch
    {
        IsolationLevel.NamespacesAndUidDrop =>
            "PID + network + mount namespaces, unprivileged uid per job, rlimits (CPU, address space, file size, processes); no network",
        IsolationLevel.UserNamespace =>
            "user + PID + network + mount namespaces, rlimits (CPU, address space, file size, processes); no network",
        IsolationLevel.RlimitsOnly =>
            "rlimits only (uid drop when root); NO network isolation and no PID namespace",
        _ => "no working sandbox: every submission ends as 13 Internal Error",
    };
}
