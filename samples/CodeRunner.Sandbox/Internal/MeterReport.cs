using System.Globalization;

namespace CodeRunner.Sandbox.Internal;

/// <summary>What the job meter measured for one step (read from its report, written outside the box).</summary>
/// <param name="CpuMicroseconds">User + system CPU time of every process of the job.</param>
/// <param name="WallMicroseconds">Wall time from start until the main process exited (or the wall limit).</param>
/// <param name="MaxRssKb">Max RSS of the largest process.</param>
/// <param name="ExitCode">Exit code of the main process when it exited normally.</param>
/// <param name="ExitSignal">Signal that killed the main process.</param>
/// <param name="TimedOut">The meter stopped the job at the wall limit.</param>
/// <param name="Error">The meter's own failure (fork, rlimit, exec), or null: the job never ran.</param>
internal sealed record MeterReport(
    long CpuMicroseconds,
    long WallMicroseconds,
    long MaxRssKb,
    int? ExitCode,
    int? ExitSignal,
    bool TimedOut,
    string? Error = null)
{
    /// <summary>Parses the meter's <c>key=value</c> lines; null when the report is incomplete.</summary>
    public static MeterReport? Parse(string text)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        string? error = null;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            if (line.StartsWith("error=", StringComparison.Ordinal))
            {
                error = line[(eq + 1)..];
            }
            else if (long.TryParse(line.AsSpan(eq + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                values[line[..eq]] = value;
            }
        }

        if (error is not null)
        {
            return new MeterReport(0, 0, 0, null, null, TimedOut: false, error);
        }

        if (!values.TryGetValue("cpu_us", out long cpu) || !values.TryGetValue("wall_us", out long wall))
        {
            return null;
        }

        return new MeterReport(
            cpu,
            wall,
            values.GetValueOrDefault("maxrss_kb"),
            values.TryGetValue("exit_code", out long code) ? (int)code : null,
            values.TryGetValue("exit_signal", out long signal) ? (int)signal : null,
            values.GetValueOrDefault("timed_out") == 1);
    }
}
