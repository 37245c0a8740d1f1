using System.Diagnostics.CodeAnalysis;

namespace Paygentic.Emulator.Faults;

/// <summary>What happens to one request.</summary>
internal enum FaultKind
{
    None,
    Error500,
    Error503,
    Error429,
    Timeout,
    AbortBefore,
    AbortAfter,
}

/// <summary>The fault picked for one request.</summary>
internal readonly record struct FaultDecision(FaultKind Kind, int LatencyMs);

/// <summary>Picks faults from a seeded sequence; settings can be swapped at run time by the admin API.</summary>
internal sealed class FaultInjector
{
    private readonly Lock gate = new();
    private FaultSettings settings;
    private Random random;

    public FaultInjector(FaultSettings initial)
    {
        settings = initial.Clone();
        random = NewRandom(settings.Seed);
    }

    public FaultSettings Current
    {
        get
        {
            lock (gate)
            {
                return settings.Clone();
            }
        }
    }

    /// <summary>Replaces the settings and restarts the random sequence from their seed.</summary>
    public void Configure(FaultSettings next)
    {
        lock (gate)
        {
            settings = next.Clone();
            random = NewRandom(settings.Seed);
        }
    }

    public FaultDecision Decide(PathString path)
    {
        // Read without the lock first: with faults off (the normal case) requests never contend here.
        var snapshot = Volatile.Read(ref settings);
        if (!snapshot.IsActive)
        {
            return default;
        }

        lock (gate)
        {
            var s = settings;

            // Case-insensitive like routing: "/V0/usage" reaches the usage handler, so it must meet its faults too.
            if (!s.IsActive || (s.PathPrefix is { Length: > 0 } prefix && !path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                return default;
            }

            // Two rolls per request, always, so the sequence depends only on the number of requests seen.
            var latencyRoll = random.NextDouble();
            var outcomeRoll = random.NextDouble();
            var latency = latencyRoll < s.LatencyRate ? s.LatencyMs : 0;
            return new FaultDecision(Pick(s, outcomeRoll), latency);
        }
    }

    private static FaultKind Pick(FaultSettings s, double roll)
    {
        (double Rate, FaultKind Kind)[] buckets =
        [
            (s.Error500Rate, FaultKind.Error500),
            (s.Error503Rate, FaultKind.Error503),
            (s.Error429Rate, FaultKind.Error429),
            (s.TimeoutRate, FaultKind.Timeout),
            (s.AbortBeforeRate, FaultKind.AbortBefore),
            (s.AbortAfterRate, FaultKind.AbortAfter),
        ];
        var edge = 0.0;
        foreach (var (rate, kind) in buckets)
        {
            edge += rate;
            if (roll < edge)
            {
                return kind;
            }
        }

        return FaultKind.None;
    }

    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Faults must be reproducible from a seed; nothing secret depends on them.")]
    private static Random NewRandom(int seed) => new(seed);
}
