using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.WireBench;

/// <summary>
/// <c>create --url U --impl sdk|floor --callers C --n N --reps R --warmup W --warm-seconds MAX --bound S</c>: usage creates against the
/// fixed-answer server; per repetition, client CPU µs per event and events per second (and the SDK's peak RSS).
/// </summary>
internal static class CreateBench
{
    private const string Customer = "cus_n1o2p3q4r5s6t7u8";
    private const string Merchant = "org_demo";

    public static async Task RunAsync(Args args)
    {
        var url = new Uri(args.String("url"));
        var impl = args.String("impl");
        var callers = args.Int("callers", 1);
        var n = args.Int("n", 5000);
        var reps = args.Int("reps", 3);
        var warmup = args.Int("warmup", 2000);
        var bound = args.Seconds("bound", 60);
        var warmSeconds = args.Int("warm-seconds", 20);
        var label = $"{impl}_create_{(callers == 1 ? "seq" : "c" + callers.ToString(CultureInfo.InvariantCulture))}";

        Func<long, Task> operation;
        IDisposable owner;
        if (impl == "sdk")
        {
            var client = new PaygenticClient(new PaygenticOptions { ApiKey = "sk_bench", BaseUrl = url, MerchantId = Merchant });
            operation = i => client.Usage.CreateAsync(new UsageReport
            {
                CustomerId = Customer,
                IdempotencyKey = Key(i),
                Timestamp = DateTimeOffset.UtcNow,
                Properties = [new UsageProperty { BillableMetricId = "bm_basicsub", Quantity = 1 }],
            });
            owner = client;
        }
        else
        {
            var http = new HttpClient { BaseAddress = url };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_bench");
            operation = i => FloorCreateAsync(http, new FloorReport(Customer, Merchant, Key(i), DateTimeOffset.UtcNow, [new FloorProperty("bm_basicsub", 1)]));
            owner = http;
        }

        using (owner)
        {
            await Measure.RunAsync(warmup, callers, bound, i => operation(-1 - i));
            await Measure.WarmUpAsync(callers, TimeSpan.FromSeconds(warmSeconds), i => operation(-1_000_000_000 - i));
            for (var rep = 0; rep < reps; rep++)
            {
                var offset = rep * (long)n;
                var cost = await Measure.RunAsync(n, callers, bound, i => operation(offset + i));
                Measure.Sample($"{label}_cpu_us_per_event", cost.CpuMicrosPerOp);
                Measure.Sample($"{label}_events_per_s", cost.OpsPerSecond);
                if (impl == "sdk")
                {
                    Measure.Sample("sdk_peak_rss_mb", Measure.PeakRssMb());
                }

                Measure.Note($"{label} rep {rep + 1}: {cost.Operations} events, {cost.CpuMicrosPerOp:F1} us CPU/event, {cost.OpsPerSecond:F0}/s, {cost.BytesPerOp:F0} B/event");
            }
        }
    }

    private static string Key(long i) => "bench-" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>The floor: serialize, POST, check the status, read and parse the answer. Nothing else.</summary>
    private static async Task FloorCreateAsync(HttpClient http, FloorReport report)
    {
        using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(report, FloorJsonContext.Default.FloorReport));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync("/v0/usage", content).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        _ = JsonSerializer.Deserialize(body, FloorJsonContext.Default.FloorEvent) ?? throw new InvalidOperationException("null event");
    }
}
