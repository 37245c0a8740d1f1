using System.Text;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Benchmarks;

/// <summary>Realistic wire payloads shared by the benchmarks (the shapes the guard's reporter sends and receives).</summary>
internal static class Samples
{
    public static UsageReport Report(int i) => new()
    {
        CustomerId = "cus_n1o2p3q4r5s6t7u8",
        MerchantId = "org_demo",
        IdempotencyKey = $"op-{i:D8}:usage",
        Timestamp = new DateTimeOffset(2026, 4, 18, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
        EntitlementId = "com_a1b2c3d4e5f6",
        Properties = [new UsageProperty { BillableMetricId = "bm_basicsub", Quantity = 1 }, new UsageProperty { BillableMetricId = "bm_exectime", Quantity = 20 }],
        Metadata = new Dictionary<string, string> { ["language"] = "python" },
    };

    /// <summary>The answer to <c>POST /v0/usage</c>: the same event the fixed-answer server sends.</summary>
    public static readonly byte[] UsageEventJson = Encoding.UTF8.GetBytes(
        """{"id":"usg_f3g4h5i6j7k8l9m0","object":"usageEvent","consumerId":"org_v9w8x7y6z5a4b3c2","createdAt":"2024-04-15T10:30:05Z","customerId":"cus_n1o2p3q4r5s6t7u8","description":"Claude language model text generation","idempotencyKey":"usg_2024_04_15_abc123","merchantId":"org_v9w8x7y6z5a4b3c2","metadata":{"input_tokens":"1500","model_name":"claude-3-opus","output_tokens":"800"},"properties":[{"billableMetricId":"bm_l5m6n7o8p9q0r1s2","quantity":2500}],"subscriptionId":"sub_d1e2f3g4h5i6j7k8","timestamp":"2024-04-15T10:30:00Z"}""");

    /// <summary>The answer to a 1000-report <c>POST /v0/usage/batch</c>.</summary>
    public static byte[] BatchResponseJson(int n)
    {
        var one = Encoding.UTF8.GetString(UsageEventJson);
        var text = new StringBuilder("""{"object":"batchUsageEvents","failed":[],"successful":[""");
        for (var i = 0; i < n; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(one);
        }

        return Encoding.UTF8.GetBytes(text.Append($$$"""],"summary":{"failed":0,"successful":{{{n}}},"total":{{{n}}}}}""").ToString());
    }
}
