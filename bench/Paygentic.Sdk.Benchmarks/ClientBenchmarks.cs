using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Paygentic.Sdk.Json;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Benchmarks;

/// <summary>
/// One usage create through the whole client (validation, Refit, resilience pipeline, error handling) over an
/// in-memory handler that answers at once, next to the floor: a bare <see cref="HttpClient"/> with the same JSON.
/// </summary>
[MemoryDiagnoser]
public class ClientBenchmarks
{
    private static readonly Uri BaseUrl = new("http://127.0.0.1/");
    private PaygenticClient _client = null!;
    private PaygenticClient _lean = null!;
    private HttpClient _bare = null!;
    private FixedAnswerHandler _handler = null!;
    private UsageReport _report = null!;

    [GlobalSetup]
    public void Setup()
    {
        _handler = new FixedAnswerHandler();
        _client = new PaygenticClient(new PaygenticOptions { ApiKey = "sk_bench", BaseUrl = BaseUrl, MerchantId = "org_demo" }, _handler);
        var lean = new PaygenticOptions { ApiKey = "sk_bench", BaseUrl = BaseUrl, MerchantId = "org_demo", TotalTimeout = Timeout.InfiniteTimeSpan, AttemptTimeout = Timeout.InfiniteTimeSpan };
        lean.Retry.MaxRetries = 0;
        lean.Retry.CircuitBreakerEnabled = false;
        _lean = new PaygenticClient(lean, _handler);
        _bare = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseUrl };
        _bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_bench");
        _report = Samples.Report(1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _lean.Dispose();
        _bare.Dispose();
        _handler.Dispose();
    }

    [Benchmark]
    public Task<UsageEvent> SdkCreateUsage() => _client.Usage.CreateAsync(_report);

    /// <summary>The same with retries, circuit breaker and timeouts off: what the resilience pipeline costs.</summary>
    [Benchmark]
    public Task<UsageEvent> SdkCreateUsageWithoutResilience() => _lean.Usage.CreateAsync(_report);

    [Benchmark(Baseline = true)]
    public async Task<UsageEvent?> FloorCreateUsage()
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(_report, PaygenticJsonContext.Default.UsageReport));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _bare.PostAsync("/v0/usage", content);
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(), PaygenticJsonContext.Default.UsageEvent);
    }

    /// <summary>Answers every request with 201 and the fixed usage event, after reading the request body as a server would.</summary>
    private sealed class FixedAnswerHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } body)
            {
                await body.CopyToAsync(Stream.Null, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.Created)
            {
                RequestMessage = request,
                Content = new ByteArrayContent(Samples.UsageEventJson) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
        }
    }
}
