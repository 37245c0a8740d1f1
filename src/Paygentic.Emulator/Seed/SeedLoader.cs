using System.Text.Json;

namespace Paygentic.Emulator.Seed;

/// <summary>Loads a seed from the embedded default or from a file, and checks it before anything starts.</summary>
internal static class SeedLoader
{
    private const string ResourceName = "Paygentic.Emulator.seed.default.json";

    /// <summary>The seed shipped with the emulator (a fresh copy each call).</summary>
    public static EmulatorSeed LoadDefault()
    {
        using var stream = typeof(SeedLoader).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The embedded default seed is missing from the assembly.");
        return JsonSerializer.Deserialize(stream, EmulatorJson.Default.EmulatorSeed)
            ?? throw new InvalidOperationException("The embedded default seed is empty.");
    }

    /// <summary>Reads a seed file in the format of docs/emulator.md.</summary>
    public static EmulatorSeed LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return JsonSerializer.Deserialize(stream, EmulatorJson.Default.EmulatorSeed)
                ?? throw new InvalidOperationException($"Seed file '{path}' is empty.");
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"Seed file '{path}' is not a valid seed: {exception.Message}", exception);
        }
    }
}
