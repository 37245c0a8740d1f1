namespace CodeRunner.Sandbox;

/// <summary>How the memory limit of a job is enforced on this machine (detected at start).</summary>
public enum MemoryEnforcement
{
    /// <summary>
    /// A cgroup v1 <c>memory</c> + <c>pids</c> group per job (as root, where <c>/sys/fs/cgroup/memory</c> accepts a new
    /// group): the limit bounds every process of the job together, and the files it writes to its tmpfs mounts; an
    /// OOM kill in the group is recorded.
    /// </summary>
    CgroupV1,

    /// <summary>
    /// No cgroup could be created: a watchdog samples the resident memory of the job's processes, sums it, and kills
    /// the job's processes once the sum passes the limit.
    /// </summary>
    RssWatchdog,

    /// <summary>RLIMIT_AS per process only (the unsandboxed mode): a job may use the limit once per process.</summary>
    PerProcessAddressSpace,
}
