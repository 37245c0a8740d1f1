using System.Net;
using System.Text.Json.Nodes;
using CodeRunner.Server.Configuration;

namespace CodeRunner.Server.Tests;

/// <summary>Standard billing charges the plan's price per event; --billing off runs unmetered.</summary>
public sealed class BillingModeTests
{
    [Fact]
    public async Task Standard_billing_charges_one_event_per_submission()
    {
        await using var server = new OwnedServer(BillingMode.Standard);
        await server.Server.InitializeAsync();
        (string token, JsonObject signUp) = await server.Server.SignUpAsync("standard@example.com");
        signUp["plan"]!.GetValue<string>().Should().Be("plan_standard");
        using Judge0Client client = server.Server.Client(token);
        Reply done = await client.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print(1)" }, wait: true, fields: "status_id,charge_usd");
        done.Status.Should().Be(HttpStatusCode.Created, done.Text);
        JsonAssert.Same(done.Json, """{"status_id":3,"charge_usd":"0.002"}""");
        Reply failed = await client.CreateAsync(new JsonObject { ["language_id"] = 50, ["source_code"] = "int main( {" }, wait: true, fields: "status_id,charge_usd");
        JsonAssert.Same(failed.Json, """{"status_id":6,"charge_usd":"0.002"}"""); // the user's code was compiled: billed
        (await client.SendAsync(HttpMethod.Get, "/account")).Json!["spend_nanodollars"]!.GetValue<long>().Should().Be(4_000_000);
    }

    [Fact]
    public async Task Billing_off_runs_unmetered()
    {
        await using var server = new OwnedServer(BillingMode.Off);
        await server.Server.InitializeAsync();
        (string token, _) = await server.Server.SignUpAsync("unmetered@example.com");
        using Judge0Client client = server.Server.Client(token);
        Reply done = await client.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print(1)" }, wait: true, fields: "status_id,charge_usd");
        JsonAssert.Same(done.Json, """{"status_id":3,"charge_usd":null}""");
        (await client.SendAsync(HttpMethod.Get, "/config_info")).Json!["billing"]!.GetValue<string>().Should().Be("off");
    }

    [Fact]
    public async Task The_stats_endpoint_reports_the_time_inside_the_guard_and_the_compiled_methods()
    {
        await using var server = new OwnedServer(BillingMode.Legacy);
        await server.Server.InitializeAsync();
        (string token, _) = await server.Server.SignUpAsync("stats@example.com");
        using Judge0Client client = server.Server.Client(token);
        (await client.SendAsync(HttpMethod.Post, "/_server/stats/reset")).Status.Should().Be(HttpStatusCode.NoContent);
        Reply done = await client.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print(1)" }, wait: true, fields: "status_id");
        JsonAssert.Same(done.Json, """{"status_id":3}""");

        // One submission authorized and completed: one sample, a positive time; the JIT count is what bench/run warms up by.
        JsonNode stats = (await client.SendAsync(HttpMethod.Get, "/_server/stats")).Json!;
        stats["guard_samples"]!.GetValue<int>().Should().Be(1);
        stats["guard_p50_us"]!.GetValue<double>().Should().BePositive();
        stats["guard_authorize_p50_us"]!.GetValue<double>().Should().BePositive();
        stats["guard_complete_p50_us"]!.GetValue<double>().Should().BePositive();
        stats["jit_methods"]!.GetValue<long>().Should().BePositive();
        stats["process_cpu_us"]!.GetValue<long>().Should().BePositive();

        (await client.SendAsync(HttpMethod.Post, "/_server/stats/reset")).Status.Should().Be(HttpStatusCode.NoContent);
        (await client.SendAsync(HttpMethod.Get, "/_server/stats")).Json!["guard_samples"]!.GetValue<int>().Should().Be(0);
    }

    private sealed class OwnedServer(BillingMode mode) : IAsyncDisposable
    {
        public TestServer Server { get; } = new(s => s with { Billing = mode });

        public async ValueTask DisposeAsync() => await Server.DisposeAsync();
    }
}
