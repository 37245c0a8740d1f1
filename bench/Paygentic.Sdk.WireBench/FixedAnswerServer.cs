using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Paygentic.Sdk.WireBench;

/// <summary>
/// <c>stub --port P</c>: the fallback fixed-answer server when node (and so <c>usage-stub.mjs</c>) is absent. Same
/// answers: <c>POST /v0/usage</c> 201 with a fixed event, <c>/v0/usage/batch</c> one success per event,
/// <c>/v0/entitlements</c> a reservation echoing <c>maxUses</c> that expires in an hour, <c>/v0/events</c> 202.
/// </summary>
internal static class FixedAnswerServer
{
    private const string UsageEvent =
        """{"id":"usg_f3g4h5i6j7k8l9m0","object":"usageEvent","consumerId":"org_v9w8x7y6z5a4b3c2","createdAt":"2024-04-15T10:30:05Z","customerId":"cus_n1o2p3q4r5s6t7u8","description":"Claude language model text generation","idempotencyKey":"usg_2024_04_15_abc123","merchantId":"org_v9w8x7y6z5a4b3c2","metadata":{"input_tokens":"1500","model_name":"claude-3-opus","output_tokens":"800"},"properties":[{"billableMetricId":"bm_l5m6n7o8p9q0r1s2","quantity":2500}],"subscriptionId":"sub_d1e2f3g4h5i6j7k8","timestamp":"2024-04-15T10:30:00Z"}""";

    private const string MeterEvent =
        """{"id":"evt_01HZX3","object":"event","type":"ai.inference","source":"https://api.myapp.com","subject":"cus_abc123","namespace":"org_v9w8x7y6z5a4b3c2","timestamp":"2024-04-15T10:30:00Z","idempotencyKey":"k1"}""";

    public static async Task RunAsync(Args args)
    {
        var port = args.Int("port", 4700);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var usage = Encoding.UTF8.GetBytes(UsageEvent);
        var meter = Encoding.UTF8.GetBytes(MeterEvent);
        var reservations = 0;
        app.MapPost("/v0/usage", (HttpContext c) => SendAsync(c, 201, usage));
        app.MapPost("/v0/events", (HttpContext c) => SendAsync(c, 202, meter));
        app.MapPost("/v0/usage/batch", async (HttpContext c) =>
        {
            var n = (await JsonNode.ParseAsync(c.Request.Body))?["events"]?.AsArray().Count ?? 1;
            var body = new StringBuilder("""{"object":"batchUsageEvents","failed":[],"successful":[""");
            for (var i = 0; i < n; i++)
            {
                body.Append(i == 0 ? string.Empty : ",").Append(UsageEvent);
            }

            body.Append($$$"""],"summary":{"failed":0,"successful":{{{n}}},"total":{{{n}}}}}""");
            await SendAsync(c, 201, Encoding.UTF8.GetBytes(body.ToString()));
        });
        app.MapPost("/v0/entitlements", async (HttpContext c) =>
        {
            var request = await JsonNode.ParseAsync(c.Request.Body);
            var maxUses = request?["maxUses"]?.GetValue<int>() ?? 1;
            var now = DateTimeOffset.UtcNow;
            var reservation = new JsonObject
            {
                ["id"] = $"com_stub{Interlocked.Increment(ref reservations)}",
                ["object"] = "entitlement",
                ["billableMetrics"] = new JsonArray(),
                ["createdAt"] = now.ToString("O"),
                ["customerId"] = request?["customerId"]?.GetValue<string>() ?? "cus_stub",
                ["expiresAt"] = now.AddHours(1).ToString("O"),
                ["maxUses"] = maxUses,
                ["merchantId"] = request?["merchantId"]?.GetValue<string>() ?? "org_stub",
                ["region"] = "global",
                ["remainingBalance"] = "100000000000",
                ["usedCount"] = 0,
            };
            await SendAsync(c, 201, Encoding.UTF8.GetBytes(reservation.ToJsonString()));
        });
        await app.StartAsync();
        Console.WriteLine($"stub listening on 127.0.0.1:{port}");
        await app.WaitForShutdownAsync();
    }

    private static async Task SendAsync(HttpContext context, int status, byte[] body)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }
}
