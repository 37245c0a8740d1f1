using BenchmarkDotNet.Attributes;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Benchmarks;

/// <summary>
/// One guarded operation (authorize, run no-op work, report and wait for delivery) against the emulator in-process
/// (TestServer, no sockets), with reservation pooling on (10 operations per reservation) and off. The figures
/// include the emulator's own work, since it runs in the same process.
/// </summary>
[MemoryDiagnoser]
public class GuardBenchmarks
{
    private static readonly Dictionary<string, long> Estimate = new() { ["bm_basicsub"] = 1 };
    private PaygenticEmulator _emulator = null!;
    private PaygenticClient _client = null!;
    private MeteringGuard _guard = null!;
    private MeteredOperation _operation = null!;
    private long _next;

    [Params(10, 1)]
    public int PoolSize { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _emulator = await PaygenticEmulator.StartAsync();
        _client = _emulator.CreateClient();

        // A wallet that outlasts any benchmark run ($1,000,000 at $0.01 an operation).
        var customer = await _emulator.OnboardCustomerAsync(prefundUsd: 1_000_000m);
        _guard = new MeteringGuard(_client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = PoolSize });
        await _guard.StartAsync(CancellationToken.None);
        _operation = new MeteredOperation { CustomerId = customer.CustomerId, EstimatedQuantities = Estimate };
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _guard.DisposeAsync();
        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    [Benchmark]
    public Task<MeteredResult<int>> GuardedOperation() =>
        _guard.RunAsync(_operation with { OperationId = "bench-" + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture) }, static (_, _) => Task.FromResult(0));
}
