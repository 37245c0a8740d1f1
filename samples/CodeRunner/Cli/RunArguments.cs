using System.Globalization;

namespace CodeRunner.Cli;

/// <summary>The command line: <c>[--billing legacy|standard] [--outbox PATH] [--only a,b] [--concurrency N] [--run-id ID] [FILE...]</c>.</summary>
internal sealed record RunArguments
{
    public const string Usage = """
        usage: dotnet run --project samples/CodeRunner -- [options] [FILE...]

          FILE...              extra submissions; the language comes from the extension (.py .js .sh .c .cpp)
          --billing MODE       legacy (default: prepaid wallet, reservations, /v0/usage)
                               or standard (access check on /v1/entitlements, meter events on /v0/events)
          --outbox PATH        the metering outbox (SQLite); default: a file in a per-run temporary directory
          --only NAMES         run only these built-in submissions (comma-separated; see --list)
          --no-builtin         run only the FILEs
          --concurrency N      submissions run at the same time (default 2)
          --run-id ID          operation ids are cr-<run-id>-<submission> (default run id:
                               12 random hex digits); reuse one to replay a run idempotently
          --unsafe-no-sandbox  run without bubblewrap when it is missing (rlimits only: the code sees this
                               machine's files and network; never for untrusted code)
          --list               list the built-in submissions and exit
          -h, --help           this text

        environment (or appsettings.json): PAYGENTIC_API_KEY, PAYGENTIC_BASE_URL, PAYGENTIC_MERCHANT_ID select your
        own server (all three, or none for the embedded emulator); see samples/CodeRunner/README.md for the rest.
        """;

    public BillingMode Billing { get; init; } = BillingMode.Legacy;

    public string? OutboxPath { get; init; }

    /// <summary>Built-in submissions to run (empty: all that this machine can run).</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    public bool IncludeBuiltIn { get; init; } = true;

    public IReadOnlyList<string> Files { get; init; } = [];

    public int Concurrency { get; init; } = 2;

    public string? RunId { get; init; }

    public bool ShowHelp { get; init; }

    public bool ListBuiltIn { get; init; }

    /// <summary>Run without bubblewrap when it is missing (never for untrusted code).</summary>
    public bool AllowUnsandboxed { get; init; }

    /// <exception cref="UsageException">An unknown switch or a bad value.</exception>
    public static RunArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var parsed = new RunArguments();
        var files = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            parsed = arg switch
            {
                "-h" or "--help" => parsed with { ShowHelp = true },
                "--list" => parsed with { ListBuiltIn = true },
                "--no-builtin" => parsed with { IncludeBuiltIn = false },
                "--unsafe-no-sandbox" => parsed with { AllowUnsandboxed = true },
                "--billing" => parsed with { Billing = ParseBilling(Value(args, ref i)) },
                "--outbox" => parsed with { OutboxPath = Value(args, ref i) },
                "--only" => parsed with { Only = [.. Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] },
                "--concurrency" => parsed with { Concurrency = ParseConcurrency(Value(args, ref i)) },
                "--run-id" => parsed with { RunId = ParseRunId(Value(args, ref i)) },
                _ when arg.StartsWith('-') => throw new UsageException($"Unknown option '{arg}'."),
                _ => parsed,
            };

            if (!arg.StartsWith('-'))
            {
                files.Add(arg);
            }
        }

        return parsed with { Files = files };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        string name = args[i];
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"{name} needs a value.");
        }

        return args[++i];
    }

    private static BillingMode ParseBilling(string value) => value.ToUpperInvariant() switch
    {
        "LEGACY" => BillingMode.Legacy,
        "STANDARD" => BillingMode.Standard,
        _ => throw new UsageException($"--billing must be legacy or standard (got '{value}')."),
    };

    private static int ParseConcurrency(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 16
            ? n
            : throw new UsageException($"--concurrency must be between 1 and 16 (got '{value}'); the sandbox has 16 uids.");

    private static string ParseRunId(string value) =>
        value.Length is >= 1 and <= 40 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? value
            : throw new UsageException($"--run-id must be 1 to 40 letters, digits or dashes (got '{value}').");
}
