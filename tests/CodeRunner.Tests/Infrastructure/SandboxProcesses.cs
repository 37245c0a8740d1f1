namespace CodeRunner.Tests.Infrastructure;

/// <summary>Looks for processes left behind by the sandbox, by reading /proc.</summary>
internal static class SandboxProcesses
{
    /// <summary>PIDs of live processes whose real uid is in [first, first + count).</summary>
    public static IReadOnlyList<int> OwnedByUids(int first, int count)
    {
        var pids = new List<int>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out int pid))
            {
                continue;
            }

            try
            {
                string? uidLine = File.ReadLines(Path.Combine(directory, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                if (uidLine is not null
                    && int.TryParse(uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], out int uid)
                    && uid >= first && uid < first + count)
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process exited while we looked.
            }
        }

        return pids;
    }
}
