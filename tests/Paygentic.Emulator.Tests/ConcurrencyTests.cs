using System.Collections.Concurrent;
using System.Net;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

public sealed class ConcurrencyTests
{
    private const int Clients = 16;
    private const int OperationsPerClient = 500;
    private const int Customers = 4;

    [Fact]
    public async Task Many_clients_mixing_reservations_usage_and_refunds_keep_the_ledger_exact()
    {
        await using var emulator = await TestEmulator.StartAsync(o => o.ReservationTtl = TimeSpan.FromMinutes(30));
        var customers = new List<string>();
        for (var i = 0; i < Customers; i++)
        {
            customers.Add((await emulator.FundedCustomerAsync("5.00")).CustomerId);
        }

        var created = new ConcurrentDictionary<string, string>();
        var unexpected = new ConcurrentBag<string>();
        var workers = Enumerable.Range(0, Clients).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            using var client = emulator.NewClient(TestEmulator.DemoKey);
            var reservations = new List<string>();
            var usages = new List<string>();
            for (var op = 0; op < OperationsPerClient; op++)
            {
                var customer = customers[(worker + op) % Customers];
                var roll = random.Next(100);
                (HttpStatusCode Status, System.Text.Json.Nodes.JsonNode Body) response;
                if (roll < 20)
                {
                    response = await emulator.ReserveAsync(customer, [new { billableMetricId = "bm_exectime", quantity = random.Next(0, 5000) + 0.5 }], random.Next(1, 4), client);
                    if (response.Status == HttpStatusCode.Created)
                    {
                        reservations.Add((string)response.Body["id"]!);
                    }
                }
                else if (roll < 85)
                {
                    // Some keys repeat on purpose (within and across workers) to mix replays into the load.
                    var key = random.Next(10) == 0 ? $"shared-{random.Next(50)}" : $"w{worker}-{op}";
                    var useReservation = roll < 50 && reservations.Count > 0;
                    response = await emulator.UsageAsync(
                        customer, key, random.Next(3) == 0 ? "bm_premiumsub" : "bm_exectime", random.Next(1, 3000),
                        useReservation ? reservations[random.Next(reservations.Count)] : null, client: client);
                    if (response.Status == HttpStatusCode.Created)
                    {
                        usages.Add((string)response.Body["id"]!);
                        created[key] = (string)response.Body["id"]!;
                    }
                }
                else if (usages.Count > 0)
                {
                    response = await emulator.SendAsync(HttpMethod.Patch, "/v0/usage/" + usages[random.Next(usages.Count)], new { refunded = true }, client);
                }
                else
                {
                    continue;
                }

                if (response.Status is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity) &&
                    (string?)response.Body["code"] is not ("INSUFFICIENT_FUNDS" or "ENTITLEMENT_CUSTOMER_MISMATCH"))
                {
                    unexpected.Add(response.Body.ToJsonString());
                }

                if (worker == 0 && op % 100 == 99)
                {
                    emulator.Time.Advance(TimeSpan.FromMinutes(10)); // lets reservations expire mid-run
                }
            }
        })).ToList();
        await Task.WhenAll(workers);

        unexpected.Should().BeEmpty();
        created.Count.Should().BeGreaterThan(500, "the run must actually charge under contention");
        long charges = 0;
        foreach (var customer in customers)
        {
            var ledger = await emulator.LedgerAsync(customer);
            ((bool)ledger["invariant"]!["holds"]!).Should().BeTrue(ledger["invariant"]!.ToJsonString());
            ((long)ledger["invariant"]!["difference"]!).Should().Be(0);
            var sum = (long)ledger["balance"]! + (long)ledger["held"]! + (long)ledger["charged"]! - (long)ledger["refunded"]!;
            sum.Should().Be(Nanos.Usd(5));
            ((long)ledger["balance"]!).Should().BeGreaterThanOrEqualTo(0);
            charges += (long)ledger["counts"]!["charges"]!;
        }

        charges.Should().Be(created.Count, "one charge per idempotency key, however often it was sent");
        var (_, overview) = await emulator.GetAsync("/_emulator/ledger?merchantId=org_demo");
        ((bool)overview["invariant"]!["holds"]!).Should().BeTrue();
        ((long)overview["merchants"]![0]!["prefunds"]!).Should().Be(Nanos.Usd(5) * Customers);
    }
}
