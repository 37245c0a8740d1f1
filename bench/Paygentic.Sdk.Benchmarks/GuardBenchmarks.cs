using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Paygentic.Emulator;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Metering.Reporting;

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
    private WebApplication _emulator = null!;
    private HttpMessageHandler _transport = null!;
    private PaygenticClient _client = null!;
    private MeteringGuard _guard = null!;
    private MeteredOperation _operation = null!;
    private long _next;

    [Params(10, 1)]
    public int PoolSize { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _emulator = EmulatorApp.Build(new EmulatorOptions { AutoPay = true }, configure: builder =>
        {
            builder.Logging.ClearProviders();
            builder.WebHost.UseTestServer();
        });
        await _emulator.StartAsync();
        _transport = _emulator.GetTestServer().CreateHandler();
        var baseUrl = new Uri("http://127.0.0.1/");
        _client = new PaygenticClient(new PaygenticOptions { ApiKey = EmulatorOptions.DefaultApiKey, BaseUrl = baseUrl, MerchantId = EmulatorOptions.DemoMerchantId }, _transport);
        var customer = await CreateCustomerAsync(_transport, baseUrl);
        _guard = new MeteringGuard(_client, new InMemoryUsageOutbox(), new MeteringOptions { ReservationPoolSize = PoolSize });
        await _guard.StartAsync(CancellationToken.None);
        _operation = new MeteredOperation { CustomerId = customer, EstimatedQuantities = Estimate };
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _guard.DisposeAsync();
        _client.Dispose();
        await _emulator.StopAsync();
        await _emulator.DisposeAsync();
    }

    [Benchmark]
    public Task<MeteredResult<int>> GuardedOperation() =>
        _guard.RunAsync(_operation with { OperationId = "bench-" + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture) }, static (_, _) => Task.FromResult(0));

    /// <summary>A customer whose wallet outlasts any benchmark run ($1,000,000 at $0.01 an operation).</summary>
    private static async Task<string> CreateCustomerAsync(HttpMessageHandler transport, Uri baseUrl)
    {
        using var admin = new HttpClient(transport, disposeHandler: false) { BaseAddress = baseUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EmulatorOptions.DefaultApiKey);
        using var created = await admin.PostAsJsonAsync("/v0/customers", new
        {
            merchantId = EmulatorOptions.DemoMerchantId,
            consumer = new { name = "Bench", email = $"{Guid.NewGuid():N}@example.com", address = new { country = "US", state = "CA", zipCode = "94105" } },
        });
        created.EnsureSuccessStatusCode();
        var customerId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["customerId"]!;
        using var subscribed = await admin.PostAsJsonAsync("/v0/subscriptions", new
        {
            name = "Bench " + Guid.NewGuid().ToString("N"),
            planId = "plan_legacy",
            customerId,
            startedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            prefundAmount = "1000000.00",
        });
        subscribed.EnsureSuccessStatusCode();
        return customerId;
    }
}
