using Paygentic.Emulator.Faults;
using Paygentic.Emulator.Seed;

namespace Paygentic.Emulator.State;

/// <summary>The running emulator: options, clock, the current world and the fault injector.</summary>
internal sealed class EmulatorRuntime
{
    private readonly EmulatorSeed seed;
    private World world;

    public EmulatorRuntime(EmulatorOptions options)
    {
        Options = options;
        Time = options.TimeProvider;
        seed = options.Seed ?? (options.SeedPath is { Length: > 0 } path ? SeedLoader.LoadFile(path) : SeedLoader.LoadDefault());
        world = new World(seed, options.ApiKey);
        Faults = new FaultInjector(options.Faults);
    }

    public EmulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public FaultInjector Faults { get; }

    public World World => Volatile.Read(ref world);

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Back to the seed: customers, wallets, usage and events are gone; fault settings stay.</summary>
    public void Reset() => Volatile.Write(ref world, new World(seed, Options.ApiKey));
}
