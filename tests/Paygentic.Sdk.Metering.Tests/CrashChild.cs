using System.Globalization;
using Paygentic.Sdk.Metering.Tests.Infrastructure;
using Paygentic.Sdk.Outbox.Sqlite;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>The child process of the crash test: runs guarded operations and prints one line per completed one.</summary>
public static class CrashChild
{
    public const string Verb = "crash-child";

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = new Uri(args[0]);
        var outboxPath = args[1];
        var customerId = args[2];
        var first = int.Parse(args[3], CultureInfo.InvariantCulture);
        var count = int.Parse(args[4], CultureInfo.InvariantCulture);

        using var client = new PaygenticClient(EmulatorHost.ClientOptions(baseUrl));
        await using var outbox = new SqliteUsageOutbox(outboxPath);
        await using var guard = new MeteringGuard(client, outbox, new MeteringOptions { ReservationPoolSize = 5, WaitForDelivery = false, RetryBaseDelay = TimeSpan.FromMilliseconds(100) });
        await guard.StartAsync(CancellationToken.None);
        Console.WriteLine("started");
        var tasks = new List<Task>();
        for (var i = first; i < first + count; i++)
        {
            var id = "crash-" + i.ToString(CultureInfo.InvariantCulture);
            var operation = new MeteredOperation { CustomerId = customerId, OperationId = id, EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 10 } };
            var result = await guard.RunAsync(operation, async (scope, ct) =>
            {
                await Task.Delay(5, ct);
                scope.SetQuantity("bm_exectime", 20);
                return 0;
            });
            Console.WriteLine($"done {id} {result.ReportState}");
        }

        var flushed = await guard.Reports.FlushAsync();
        Console.WriteLine($"finished pending={flushed.StillPending}");
        return 0;
    }
}
