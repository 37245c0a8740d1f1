using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Outbox.PostgreSql.Tests.Guard;

/// <summary>
/// Guards ("replicas") on one PostgreSQL schema, each with its own instance id, store and data source, against the
/// in-process emulator. Disposes what it made, guards first.
/// </summary>
public sealed class FleetHarness : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly SchemaFixture _db;
    private readonly List<IAsyncDisposable> _owned = [];

    private FleetHarness(SchemaFixture db, PaygenticEmulator emulator, string schema)
    {
        _db = db;
        Emulator = emulator;
        Schema = schema;
        // No circuit breaker: tests turn the usage endpoint off on purpose, and authorizations must still go through.
        Client = emulator.CreateClient(o => o.Retry.CircuitBreakerEnabled = false);
    }

    public PaygenticEmulator Emulator { get; }

    public PaygenticClient Client { get; }

    public string Schema { get; }

    public static async Task<FleetHarness> StartAsync(SchemaFixture db) =>
        new(db, await PaygenticEmulator.StartAsync(new PaygenticEmulatorOptions { AutoPay = true }), db.Track(SchemaFixture.NewSchemaName()));

    public static MeteredOperation Op(string customer, string id) => new()
    {
        CustomerId = customer,
        OperationId = id,
        EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1, ["bm_exectime"] = 100 },
    };

    public static Func<MeteringScope, CancellationToken, Task<int>> Work(long executionMs, Action? ran = null) => (scope, _) =>
    {
        ran?.Invoke();
        scope.SetQuantity("bm_exectime", executionMs);
        return Task.FromResult(1);
    };

    public async Task<string> CustomerAsync() => (await Emulator.OnboardCustomerAsync(10m)).CustomerId;

    /// <summary>A started replica: its guard and outbox (the guard is stopped and disposed with the harness).</summary>
    public async Task<Replica> StartReplicaAsync(string instanceId, MeteringOptions? options = null, Action<PostgreSqlOutboxOptions>? configure = null)
    {
        var outboxOptions = new PostgreSqlOutboxOptions { Schema = Schema, InstanceId = instanceId };
        configure?.Invoke(outboxOptions);
        var store = new PostgreSqlOutboxStore(_db.CreateDataSource(), outboxOptions);
        var outbox = new PostgreSqlUsageOutbox(store);
        var guard = new MeteringGuard(Client, outbox, options ?? new MeteringOptions { ReservationPoolSize = 1 });
        lock (_owned)
        {
            _owned.Insert(0, store);
            _owned.Insert(0, outbox);
            _owned.Insert(0, guard);
        }

        await guard.StartAsync(CancellationToken.None).WaitAsync(Bound);
        return new Replica(instanceId, guard, outbox);
    }

    public async Task<IReadOnlyList<string>> ChargedKeysAsync(string customer) =>
        [.. (await Emulator.GetLedgerAsync(customer)).Charges.Select(c => c.IdempotencyKey)];

    /// <summary>Waits (bounded) for something that must happen, e.g. a survivor's delivery; never to show that something did not.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for: " + what);
            }

            await Task.Delay(20);
        }
    }

    public Task<long> CountAsync(string table) => _db.ScalarInAsync<long>(Schema, $"SELECT count(*) FROM {{s}}.{table}");

    public Task ExpireLeaseAsync(string instanceId) => _db.ExpireLeaseAsync(instanceId, Schema);

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        Client.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>One replica: a guard on the shared outbox, under an instance id.</summary>
public sealed record Replica(string InstanceId, MeteringGuard Guard, PostgreSqlUsageOutbox Outbox)
{
    public async Task<IReadOnlyList<string>> OwnIdsAsync(OutboxEntryState state) =>
        [.. (await Outbox.LoadAsync(state, CancellationToken.None)).Select(e => e.OperationId).Order(StringComparer.Ordinal)];
}
