using System.Globalization;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>What the supervisor saw of each operation across all client processes (from their <c>start/auth/done</c> lines).</summary>
public sealed class OperationTracker
{
    public HashSet<int> Started { get; } = [];

    /// <summary>Its ticket was in the outbox: it must be charged exactly once (completed, or recovered at its estimate).</summary>
    public HashSet<int> Authorized { get; } = [];

    /// <summary>Its completion was in the outbox: it must be charged exactly once, at its actual usage.</summary>
    public HashSet<int> Done { get; } = [];

    public int MaxStarted { get; private set; } = -1;

    public bool Finished { get; private set; }

    public string? Drained { get; private set; }

    public void Apply(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var i))
        {
            switch (parts[0])
            {
                case "start":
                    Started.Add(i);
                    MaxStarted = Math.Max(MaxStarted, i);
                    return;
                case "auth":
                    Authorized.Add(i);
                    return;
                case "done":
                    Done.Add(i);
                    return;
            }
        }

        if (line == "ops-finished")
        {
            Finished = true;
        }
        else if (line.StartsWith("finished ", StringComparison.Ordinal))
        {
            Drained = line;
        }

        // Anything else ("started", or a line cut short by SIGKILL) carries no audit fact.
    }
}
