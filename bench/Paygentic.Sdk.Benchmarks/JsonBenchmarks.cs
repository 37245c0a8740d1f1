using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Paygentic.Sdk.Json;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Benchmarks;

/// <summary>The SDK's source-generated JSON for one usage report and for a batch of 1000 (request and response).</summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private UsageReport _report = null!;
    private byte[] _reportJson = null!;
    private UsageBatchBody _batch = null!;
    private byte[] _batchJson = null!;
    private byte[] _batchResponseJson = null!;
    private byte[] _eventJson = null!;

    [GlobalSetup]
    public void Setup()
    {
        _report = Samples.Report(1);
        _reportJson = JsonSerializer.SerializeToUtf8Bytes(_report, PaygenticJsonContext.Default.UsageReport);
        _batch = new UsageBatchBody(Enumerable.Range(0, 1000).Select(Samples.Report).ToList());
        _batchJson = JsonSerializer.SerializeToUtf8Bytes(_batch, PaygenticJsonContext.Default.UsageBatchBody);
        _batchResponseJson = Samples.BatchResponseJson(1000);
        _eventJson = Samples.UsageEventJson;
    }

    [Benchmark]
    public byte[] WriteReport() => JsonSerializer.SerializeToUtf8Bytes(_report, PaygenticJsonContext.Default.UsageReport);

    [Benchmark]
    public UsageReport? ReadReport() => JsonSerializer.Deserialize(_reportJson, PaygenticJsonContext.Default.UsageReport);

    [Benchmark]
    public UsageEvent? ReadUsageEvent() => JsonSerializer.Deserialize(_eventJson, PaygenticJsonContext.Default.UsageEvent);

    [Benchmark]
    public byte[] WriteBatch1000() => JsonSerializer.SerializeToUtf8Bytes(_batch, PaygenticJsonContext.Default.UsageBatchBody);

    [Benchmark]
    public object? ReadBatch1000() => JsonSerializer.Deserialize(_batchJson, PaygenticJsonContext.Default.UsageBatchBody);

    [Benchmark]
    public object? ReadBatchResponse1000() => JsonSerializer.Deserialize(_batchResponseJson, PaygenticJsonContext.Default.UsageBatchResponse);
}
