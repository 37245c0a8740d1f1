using System.Reflection;
using System.Text.Json.Nodes;
using CodeRunner.Server.Billing;
using CodeRunner.Server.Execution;
using CodeRunner.Server.Judge0;

namespace CodeRunner.Server.Hosting;

/// <summary>The page at <c>/</c>, the health check, and the in-process guard timings the benchmark reads.</summary>
internal static class OpsEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
        app.MapGet("/health", (SubmissionQueue queue) => Judge0Results.Json(new JsonObject
        {
            ["status"] = "ok",
            ["queued"] = queue.Waiting,
            ["max_queue_size"] = queue.MaxQueueSize,
        }));
        app.MapGet("/_server/stats", (GuardTimings timings) =>
        {
            // This process's own CPU time (its children, the sandboxes, are not counted), read first so the metered
            // server's sorting below is not in it; finer than the 10 ms ticks of /proc/PID/stat.
            long cpuMicroseconds = (long)Environment.CpuUsage.TotalTime.TotalMicroseconds;
            (int count, double p50, double authorizeP50, double completeP50) = timings.Snapshot();
            // jit_methods: methods compiled so far, so a benchmark can warm up until the JIT has settled.
            return Judge0Results.Json(new JsonObject
            {
                ["guard_samples"] = count,
                ["guard_p50_us"] = Math.Round(p50, 1),
                ["guard_authorize_p50_us"] = Math.Round(authorizeP50, 1),
                ["guard_complete_p50_us"] = Math.Round(completeP50, 1),
                ["jit_methods"] = System.Runtime.JitInfo.GetCompiledMethodCount(),
                ["process_cpu_us"] = cpuMicroseconds,
            });
        });
        app.MapPost("/_server/stats/reset", (GuardTimings timings) =>
        {
            timings.Reset();
            return Results.NoContent();
        });
    }

    private static readonly Lazy<string> Page = new(() =>
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CodeRunner.Server.index.html")
            ?? throw new InvalidOperationException("The page is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
