using System.Globalization;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>
/// The test assembly doubles as a console program: <c>soak [--n N]</c> runs the chaos soak by hand (the same code as
/// the test), and <c>soak-child ...</c> is the client process the supervisor hard-kills and restarts.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == SoakChild.Verb)
        {
            return await SoakChild.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == "soak")
        {
            var n = args.Length > 2 && args[1] == "--n" ? int.Parse(args[2], CultureInfo.InvariantCulture) : SoakSupervisor.DefaultOperations;
            var report = await new SoakSupervisor(n, Console.Error.WriteLine).RunAsync();
            Console.WriteLine(report.Summary);
            foreach (var problem in report.Problems)
            {
                Console.WriteLine("problem: " + problem);
            }

            return report.Problems.Count == 0 ? 0 : 1;
        }

        Console.Error.WriteLine($"usage: soak [--n N] | {SoakChild.Verb} <baseUrl> <outbox.db | postgres connection string> <customerId> <first> <total> <workers> [<schema> <instanceId> [<workMs>]]");
        return 2;
    }
}
