namespace Paygentic.Sdk.Metering.Tests;

/// <summary>
/// The test assembly doubles as a console program so the crash test can run guarded operations in a child process
/// (<c>dotnet Paygentic.Sdk.Metering.Tests.dll crash-child ...</c>) and kill it with SIGKILL.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == CrashChild.Verb)
        {
            return await CrashChild.RunAsync(args[1..]);
        }

        Console.Error.WriteLine($"usage: {CrashChild.Verb} <baseUrl> <outbox.db> <customerId> <first> <count>");
        return 2;
    }
}
