using System.Globalization;

namespace CodeRunner.Sandbox.Internal;

/// <summary>What the job meter measured for one run (read from its metadata file, written outside the box).</summary>
internal sealed record MeterReport(
    long CpuMicroseconds,
    long WallMicroseconds,
    long MaxRssKb,
    int? ExitCode,
    int? ExitSignal,
    bool TimedOut)
{
    /// <summary>Parses the helper's <c>key=value</c> lines.</summary>
    public static MeterReport? ParseHelper(string text)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && long.TryParse(line.AsSpan(eq + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                values[line[..eq]] = value;
            }
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

    /// <summary>
    /// Parses GNU time's output for the format <see cref="JobMeter.GnuTimeFormat"/>. GNU time prefixes a line
    /// "Command terminated by signal N" when the command was killed (and then prints exit 0), so that line wins.
    /// </summary>
    public static MeterReport? ParseGnuTime(string text)
    {
        const string SignalPrefix = "Command terminated by signal ";
        int? signal = null;
        decimal user = -1, system = -1, elapsed = -1;
        long rss = 0;
        int? exit = null;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith(SignalPrefix, StringComparison.Ordinal)
                && int.TryParse(line.AsSpan(SignalPrefix.Length), CultureInfo.InvariantCulture, out int sig))
            {
                signal = sig;
                continue;
            }

            string[] parts = line.Split(' ');
            if (parts.Length == 5 && parts[0] == "meter")
            {
                _ = decimal.TryParse(parts[1], CultureInfo.InvariantCulture, out user);
                _ = decimal.TryParse(parts[2], CultureInfo.InvariantCulture, out system);
                _ = decimal.TryParse(parts[3], CultureInfo.InvariantCulture, out elapsed);
                string[] tail = parts[4].Split('/');
                if (tail.Length == 2)
                {
                    _ = long.TryParse(tail[0], CultureInfo.InvariantCulture, out rss);
                    exit = int.TryParse(tail[1], CultureInfo.InvariantCulture, out int code) ? code : null;
                }
            }
        }

        if (user < 0 || system < 0 || elapsed < 0)
        {
            return null;
        }

        return new MeterReport(
            (long)((user + system) * 1_000_000m),
            (long)(elapsed * 1_000_000m),
            rss,
            signal is null ? exit : null,
            signal,
            TimedOut: false);
    }
}
