using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Metering;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Tests.Integration;

/// <summary>The Testing package's one call that points a whole DI registration at an emulator, in-process or on a port.</summary>
public sealed class EmulatorDependencyInjectionTests
{
    [Fact]
    public async Task AddPaygentic_with_an_emulator_wires_the_guard_and_its_reporter_to_it()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        var customer = await emulator.OnboardCustomerAsync(prefundUsd: 1m);
        var services = new ServiceCollection();
        services.AddPaygentic(emulator).AddMeteringGuard(_ => { }).UseOutbox(_ => new InMemoryUsageOutbox());
        await using var provider = services.BuildServiceProvider();
        var guard = provider.GetRequiredService<IMeteringGuard>();

        await guard.RunAsync(
            new MeteredOperation { CustomerId = customer.CustomerId, OperationId = "di-1", EstimatedQuantities = new Dictionary<string, long> { ["bm_basicsub"] = 1 } },
            (scope, ct) =>
            {
                scope.SetQuantity("bm_basicsub", 1);
                return Task.FromResult(0);
            },
            CancellationToken.None);
        await guard.Reports.FlushAsync(CancellationToken.None);

        var ledger = await emulator.GetLedgerAsync(customer.CustomerId);
        ledger.Charges.Should().ContainSingle().Which.Amount.Should().Be(Nanodollars.FromUsd(0.01m));
    }

    [Fact]
    public async Task UseEmulator_repoints_a_registration_bound_from_configuration_whatever_the_order()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Paygentic:ApiKey"] = "sk_live_not_used",
            ["Paygentic:BaseUrl"] = "https://api.paygentic.io",
        }).Build();
        var services = new ServiceCollection();
        services.UseEmulator(emulator);
        services.AddPaygentic(configuration.GetSection("Paygentic"));
        await using var provider = services.BuildServiceProvider();

        var created = await provider.GetRequiredService<IPaygenticClient>().Customers.CreateAsync(new Customers.CreateCustomerRequest
        {
            Consumer = new Customers.NewConsumer { Name = "Order", Email = "order@example.com", Address = new Customers.Address { Country = "US" } },
        });

        created.Created.Should().BeTrue();
        (await provider.GetRequiredService<IPaygenticClient>().Customers.GetAsync(created.CustomerId)).MerchantId.Should().Be(emulator.MerchantId);
    }

    [Fact]
    public async Task On_a_port_the_emulator_answers_any_http_client_at_its_loopback_url()
    {
        await using var emulator = await PaygenticEmulator.StartAsync(new PaygenticEmulatorOptions { Port = 0, AutoPay = true });
        emulator.IsInProcess.Should().BeFalse();
        emulator.BaseUrl.Host.Should().Be("127.0.0.1");
        emulator.BaseUrl.Port.Should().BeGreaterThan(0);

        using var plain = new HttpClient { BaseAddress = emulator.BaseUrl };
        using var health = await plain.GetAsync(new Uri("/_emulator/health", UriKind.Relative));
        health.StatusCode.Should().Be(HttpStatusCode.OK);

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPaygentic(emulator);
        using var host = builder.Build();
        var customer = await emulator.OnboardCustomerAsync(prefundUsd: 2m);
        var fetched = await host.Services.GetRequiredService<IPaygenticClient>().Customers.GetAsync(customer.CustomerId);
        fetched.Id.Should().Be(customer.CustomerId);
        (await emulator.GetLedgerAsync(customer.CustomerId)).Balance.Should().Be(Nanodollars.FromUsd(2m));
    }
}
