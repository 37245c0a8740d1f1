using System.Globalization;

namespace Paygentic.Sdk.WireBench;

/// <summary>
/// The over-the-wire client of <c>bench/run</c>. Each verb runs in its own process so the CPU time and RSS it reports
/// are the client's alone. Results go to stdout as <c>sample NAME VALUE</c> lines (one per repetition); progress and
/// notes go to stderr.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: WireBench create|reporter|guard|outbox|pg-outbox|pg-guard|stub [--name value ...]");
            return 2;
        }

        var options = Args.Parse(args[1..]);
        switch (args[0])
        {
            case "create": await CreateBench.RunAsync(options); break;
            case "reporter": await ReporterBench.RunAsync(options); break;
            case "guard": await GuardBench.RunAsync(options); break;
            case "outbox": await OutboxBench.RunAsync(options); break;
            case "pg-outbox": await PgBench.OutboxAsync(options); break;
            case "pg-guard": await PgBench.GuardAsync(options); break;
            case "stub": await FixedAnswerServer.RunAsync(options); break;
            default:
                Console.Error.WriteLine($"unknown verb {args[0]}");
                return 2;
        }

        return 0;
    }
}

/// <summary><c>--name value</c> pairs.</summary>
internal sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        return new Args(values);
    }

    public string String(string name, string? fallback = null) =>
        values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required");

    public int Int(string name, int fallback) => values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback);
}
