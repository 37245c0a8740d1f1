using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Diagnostics;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Tests.Wire;

namespace Paygentic.Sdk.Tests;

public class TelemetryTests
{
    [Fact]
    public async Task Log_lines_name_method_path_status_and_attempt_and_never_the_key_or_a_body()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs)));
        using var mock = new MockHttpMessageHandler();
        var calls = 0;
        mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage").Respond(_ => Interlocked.Increment(ref calls) == 1
            ? Harness.Response(HttpStatusCode.ServiceUnavailable, $$"""{"message":"echo {{Harness.ApiKey}}"}""")
            : Harness.Response(HttpStatusCode.Created, UsageWireTests.EventBody));
        var options = new PaygenticOptions { ApiKey = Harness.ApiKey, BaseUrl = Harness.BaseUrl, MerchantId = "org_demo" };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        using var client = new PaygenticClient(options, mock, loggerFactory);

        await client.Usage.CreateAsync(UsageWireTests.Report());

        var lines = logs.GetSnapshot().Select(r => r.Message).ToList();
        lines.Should().Contain(l => l.StartsWith("Paygentic POST /v0/usage attempt 1 failed (503); retrying in", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("Paygentic POST /v0/usage -> 201 (attempt 2,", StringComparison.Ordinal));
        lines.Should().NotContain(l => l.Contains(Harness.ApiKey, StringComparison.Ordinal) || l.Contains("op-1:usage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requests_retries_and_failures_are_counted_on_the_paygentic_meter()
    {
        using var mock = new MockHttpMessageHandler();
        var calls = 0;
        mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage").Respond(_ => Interlocked.Increment(ref calls) == 1
            ? Harness.Response(HttpStatusCode.BadGateway, """{"message":"bad gateway"}""")
            : Harness.Response(HttpStatusCode.Created, UsageWireTests.EventBody));
        mock.When(HttpMethod.Get, Harness.BaseUrl + "v0/customers/cus_missing").Respond(HttpStatusCode.NotFound, "application/json", """{"message":"nope"}""");
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddPaygentic(o =>
        {
            o.ApiKey = Harness.ApiKey;
            o.BaseUrl = Harness.BaseUrl;
            o.MerchantId = "org_demo";
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        });
        services.AddHttpClient(PaygenticServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => mock);
        await using var provider = services.BuildServiceProvider();
        var meterFactory = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var requests = new MetricCollector<long>(meterFactory, PaygenticTelemetry.Name, "paygentic.client.requests");
        using var retries = new MetricCollector<long>(meterFactory, PaygenticTelemetry.Name, "paygentic.client.retries");
        using var failures = new MetricCollector<long>(meterFactory, PaygenticTelemetry.Name, "paygentic.client.failures");
        using var duration = new MetricCollector<double>(meterFactory, PaygenticTelemetry.Name, "paygentic.client.request.duration");
        var client = provider.GetRequiredService<IPaygenticClient>();

        await client.Usage.CreateAsync(UsageWireTests.Report());
        var missing = () => client.Customers.GetAsync("cus_missing");
        await missing.Should().ThrowAsync<PaygenticNotFoundException>();

        requests.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(3);
        retries.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1);
        failures.GetMeasurementSnapshot().Sum(m => m.Value).Should().Be(1);
        duration.GetMeasurementSnapshot().Should().HaveCount(3);
    }
}
