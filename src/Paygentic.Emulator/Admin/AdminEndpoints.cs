using Paygentic.Emulator.Faults;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.Ledger;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Admin;

/// <summary>
/// The emulator's own API under <c>/_emulator/</c> (no bearer key, never faulted): health, reset, fault control,
/// ledger and event inspection. Documented in docs/emulator.md; tests, the sample and the benchmarks read it.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app, EmulatorRuntime runtime)
    {
        app.MapGet("/_emulator/health", context => Health(context, runtime));
        app.MapPost("/_emulator/reset", context =>
        {
            runtime.Reset();
            return Reply.Json(context, StatusCodes.Status200OK, new StatusBody("reset"), EmulatorJson.Default.StatusBody);
        });
        app.MapGet("/_emulator/faults", context => Reply.Json(context, StatusCodes.Status200OK, runtime.Faults.Current, EmulatorJson.Default.FaultSettings));
        app.MapPost("/_emulator/faults", context => ConfigureFaultsAsync(context, runtime));
        app.MapDelete("/_emulator/faults", context =>
        {
            runtime.Faults.Configure(new FaultSettings());
            return Reply.Json(context, StatusCodes.Status200OK, runtime.Faults.Current, EmulatorJson.Default.FaultSettings);
        });
        app.MapGet("/_emulator/ledger", context => Overview(context, runtime));
        app.MapGet("/_emulator/ledger/{id}", context => CustomerLedger(context, runtime));
        app.MapGet("/_emulator/events/{id}", context => Events(context, runtime));
    }

    private static Task Health(HttpContext context, EmulatorRuntime runtime)
    {
        var body = new HealthBody("ok", runtime.World.Merchants.Select(m => m.Id).ToList(), runtime.Now, Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false));
        return Reply.Json(context, StatusCodes.Status200OK, body, EmulatorJson.Default.HealthBody);
    }

    private static async Task ConfigureFaultsAsync(HttpContext context, EmulatorRuntime runtime)
    {
        var settings = await RequestBody.ReadAsync(context, EmulatorJson.Default.FaultSettings).ConfigureAwait(false);
        if (settings is null)
        {
            return;
        }

        if (settings.Problem() is { } problem)
        {
            await Reply.Validation(context, "faults", problem, "INVALID_FAULTS").ConfigureAwait(false);
            return;
        }

        runtime.Faults.Configure(settings);
        await Reply.Json(context, StatusCodes.Status200OK, runtime.Faults.Current, EmulatorJson.Default.FaultSettings).ConfigureAwait(false);
    }

    private static Task Overview(HttpContext context, EmulatorRuntime runtime)
    {
        var only = Query.Text(context, "merchantId");
        var now = runtime.Now;
        var merchants = new List<MerchantLedgerBody>();
        Int128 difference = 0;
        foreach (var merchant in runtime.World.Merchants)
        {
            if (only is not null && merchant.Id != only)
            {
                continue;
            }

            lock (merchant.Gate)
            {
                var (body, merchantDifference) = LedgerReport.ForMerchant(merchant, now);
                merchants.Add(body);
                difference += merchantDifference;
            }
        }

        return Reply.Json(context, StatusCodes.Status200OK, new LedgerOverviewBody(merchants, LedgerReport.Invariant(difference)), EmulatorJson.Default.LedgerOverviewBody);
    }

    private static Task CustomerLedger(HttpContext context, EmulatorRuntime runtime)
    {
        var customerId = Query.RouteId(context);
        if (runtime.World.OwnerOf(customerId) is { } merchant)
        {
            lock (merchant.Gate)
            {
                if (merchant.Wallets.TryGetValue(customerId, out var wallet))
                {
                    var body = LedgerReport.ForCustomer(merchant, wallet, runtime.Now);
                    return Reply.Json(context, StatusCodes.Status200OK, body, EmulatorJson.Default.CustomerLedgerBody);
                }
            }
        }

        return Reply.Error(context, StatusCodes.Status404NotFound, "not_found", "Customer not found", "CUSTOMER_NOT_FOUND");
    }

    private static Task Events(HttpContext context, EmulatorRuntime runtime)
    {
        var subject = Query.RouteId(context);
        var items = new List<EventLogItem>();
        foreach (var merchant in runtime.World.Merchants)
        {
            lock (merchant.Gate)
            {
                if (merchant.EventsBySubject.TryGetValue(subject, out var events))
                {
                    items.AddRange(events.Select(e => new EventLogItem(e.Id, e.Type, e.Source, e.Subject ?? subject, e.Namespace, e.Timestamp, e.IdempotencyKey, e.Data, e.ReceivedAt)));
                }
            }
        }

        return Reply.Json(context, StatusCodes.Status200OK, new EventLogBody(subject, items.Count, items), EmulatorJson.Default.EventLogBody);
    }
}
