using System.Globalization;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Outbox.PostgreSql;
using Paygentic.Sdk.Outbox.Sqlite;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>
/// The client process of the soak: runs guarded operations <c>soak-{i}</c> with a few concurrent workers against the
/// faulty emulator on a SQLite outbox, printing a line at each step the supervisor audits:
/// <c>start i</c> before the operation touches the server, <c>auth i</c> once its ticket is in the outbox,
/// <c>done i</c> once its completion (the report) is in the outbox. It may be SIGKILLed at any point.
/// </summary>
public static class SoakChild
{
    public const string Verb = "soak-child";

    /// <summary>Sizes the reservation and is what a recovered (authorized, never completed) operation is charged.</summary>
    public static readonly IReadOnlyDictionary<string, long> Estimate = new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 10 };

    /// <summary>What a completed operation records: a different amount, so the audit tells completed from recovered.</summary>
    public static readonly IReadOnlyDictionary<string, long> Actual = new Dictionary<string, long> { ["bm_exectime"] = 20 };

    /// <summary>The fleet replicas' lease: a dead replica's work is adopted within about this long.</summary>
    public static readonly TimeSpan FleetLease = TimeSpan.FromSeconds(3);

    public static string OperationId(int i) => "soak-" + i.ToString(CultureInfo.InvariantCulture);

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = new Uri(args[0]);
        var outboxPath = args[1];
        var customerId = args[2];
        var first = int.Parse(args[3], CultureInfo.InvariantCulture);
        var total = int.Parse(args[4], CultureInfo.InvariantCulture);
        var workers = int.Parse(args[5], CultureInfo.InvariantCulture);
        var workMs = args.Length > 8 ? int.Parse(args[8], CultureInfo.InvariantCulture) : 2;

        using var client = new PaygenticClient(ClientOptions(baseUrl));

        // With a schema and an instance id, the outbox is the fleet's PostgreSQL one (outboxPath is its connection
        // string); otherwise the SQLite file. The lease is short so the fleet soak's dead replica is adopted soon.
        await using var store = args.Length > 7
            ? PostgreSqlOutboxStore.Create(outboxPath, new PostgreSqlOutboxOptions { Schema = args[6], InstanceId = args[7], LeaseDuration = FleetLease })
            : null;
        await using var outbox = store is null ? (IAsyncDisposable)new SqliteUsageOutbox(outboxPath) : new PostgreSqlUsageOutbox(store);
        await using var guard = new MeteringGuard(client, (IUsageOutbox)outbox, new MeteringOptions
        {
            // One customer's operations share one pool, and a faulted reservation call stalls its pool for up to a
            // second (Retry-After, timeouts): 25 uses per reservation keeps those stalls to a few per hundred operations.
            ReservationPoolSize = 25,
            WaitForDelivery = false,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        });

        // Start-up delivers what the killed process left pending and recovers its unfinished tickets (ReportEstimate).
        await guard.StartAsync(CancellationToken.None);
        Console.WriteLine("started");

        var gate = new Lock();
        var next = first;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                int i;
                lock (gate)
                {
                    // Taking an index and announcing it is one step, so the started operations are always a prefix.
                    if (next >= total)
                    {
                        return;
                    }

                    i = next++;
                    Console.WriteLine($"start {i}");
                }

                await RunOneAsync(guard, customerId, i, workMs);
            }
        })));
        Console.WriteLine("ops-finished");

        // The supervisor turns the faults off, then says "drain".
        await Console.In.ReadLineAsync();
        using var drainBound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (guard.Reports.PendingCount > 0 && !drainBound.IsCancellationRequested)
        {
            await guard.Reports.FlushAsync(drainBound.Token);
        }

        var dead = await guard.Reports.GetDeadLettersAsync();
        Console.WriteLine($"finished pending={guard.Reports.PendingCount} dead={dead.Count}");
        return 0;
    }

    private static async Task RunOneAsync(MeteringGuard guard, string customerId, int i, int workMs)
    {
        var operation = new MeteredOperation { CustomerId = customerId, OperationId = OperationId(i), EstimatedQuantities = Estimate };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        MeteringTicket ticket;
        while (true)
        {
            try
            {
                ticket = await guard.AuthorizeAsync(operation);
                break;
            }
            catch (Exception e) when (e is not PaygenticPaymentRequiredException && DateTime.UtcNow < deadline)
            {
                // A faulted reservation call (500, timeout, dropped connection): nothing was recorded for this
                // operation, so authorizing it again under the same id is safe.
                await Task.Delay(20);
            }
        }

        Console.WriteLine($"auth {i}");
        await Task.Delay(workMs); // the work
        await guard.CompleteAsync(ticket, Actual);
        Console.WriteLine($"done {i}");
    }

    private static PaygenticOptions ClientOptions(Uri baseUrl) => new()
    {
        ApiKey = "sk_test_emulator",
        BaseUrl = baseUrl,
        MerchantId = "org_demo",
        // Shorter than the emulator's injected 3 s stall, so a timeout costs one second, not three.
        AttemptTimeout = TimeSpan.FromSeconds(1),
        TotalTimeout = TimeSpan.FromSeconds(15),
        Retry =
        {
            BaseDelay = TimeSpan.FromMilliseconds(20),
            MaxDelay = TimeSpan.FromMilliseconds(200),
            MaxRetryAfter = TimeSpan.FromSeconds(2),
            // A 27 % fault rate could open the breaker by chance; that only adds waiting, not a different outcome.
            CircuitBreakerEnabled = false,
        },
    };
}
