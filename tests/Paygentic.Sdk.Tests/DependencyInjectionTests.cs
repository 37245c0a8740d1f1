using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Testing;

namespace Paygentic.Sdk.Tests;

public class DependencyInjectionTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Options_bind_from_a_configuration_section()
    {
        var services = new ServiceCollection();
        services.AddPaygentic(Config(
            ("Paygentic:ApiKey", "sk_test_cfg"),
            ("Paygentic:BaseUrl", "http://127.0.0.1:5080"),
            ("Paygentic:MerchantId", "org_cfg"),
            ("Paygentic:AttemptTimeout", "00:00:05"),
            ("Paygentic:Retry:MaxRetries", "2"),
            ("Paygentic:Retry:RetryNonIdempotentRequests", "true")).GetSection("Paygentic"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<PaygenticOptions>>().Value;

        options.ApiKey.Should().Be("sk_test_cfg");
        options.BaseUrl.Should().Be(new Uri("http://127.0.0.1:5080"));
        options.MerchantId.Should().Be("org_cfg");
        options.AttemptTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.Retry.MaxRetries.Should().Be(2);
        options.Retry.RetryNonIdempotentRequests.Should().BeTrue();
    }

    [Fact]
    public void A_bad_configuration_value_names_its_key()
    {
        var services = new ServiceCollection();
        services.AddPaygentic(Config(("Paygentic:ApiKey", "k"), ("Paygentic:Retry:MaxRetries", "lots")).GetSection("Paygentic"));
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<PaygenticOptions>>().Value;

        act.Should().Throw<FormatException>().WithMessage("Paygentic:Retry:MaxRetries must be a whole number (was 'lots').");
    }

    [Fact]
    public void Environment_variables_fill_what_is_missing_and_the_official_sdk_name_is_accepted()
    {
        var options = new PaygenticOptions();
        var environment = new Dictionary<string, string>
        {
            [PaygenticEnvironmentVariables.LegacyApiKey] = "sk_from_bearer_auth",
            [PaygenticEnvironmentVariables.BaseUrl] = "http://localhost:5080",
            [PaygenticEnvironmentVariables.MerchantId] = "org_env",
        };

        PaygenticConfigurationBinder.ApplyEnvironment(options, name => environment.GetValueOrDefault(name));

        options.ApiKey.Should().Be("sk_from_bearer_auth");
        options.BaseUrl.Should().Be(new Uri("http://localhost:5080"));
        options.MerchantId.Should().Be("org_env");
    }

    [Fact]
    public void Paygentic_api_key_wins_over_the_official_sdk_name()
    {
        var options = new PaygenticOptions();
        var environment = new Dictionary<string, string> { ["PAYGENTIC_API_KEY"] = "sk_primary", ["PAYGENTIC_BEARER_AUTH"] = "sk_alias" };

        PaygenticConfigurationBinder.ApplyEnvironment(options, name => environment.GetValueOrDefault(name));

        options.ApiKey.Should().Be("sk_primary");
    }

    [Fact]
    public async Task Invalid_options_fail_host_start_with_the_option_name()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPaygentic(o =>
        {
            o.ApiKey = null;
            o.BaseUrl = new Uri("http://api.example.com/v0");
        });
        using var host = builder.Build();

        var act = () => host.StartAsync();

        var ex = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        ex.Failures.Should().Contain(f => f.Contains("Paygentic:ApiKey", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("Paygentic:BaseUrl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_registered_client_goes_through_the_http_client_factory_pipeline()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        var services = new ServiceCollection();
        services.AddPaygentic(emulator);
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<IPaygenticClient>();
        var customer = await client.Customers.CreateAsync(new Customers.CreateCustomerRequest { Consumer = new Customers.NewConsumer { Name = "DI", Email = "di@example.com", Address = new Customers.Address { Country = "US" } } });

        customer.Created.Should().BeTrue();
        provider.GetRequiredService<IPaygenticClient>().Should().BeSameAs(client);
    }

    [Fact]
    public async Task A_second_registration_neither_duplicates_the_client_nor_stacks_a_second_retry_pipeline()
    {
        await using var emulator = await PaygenticEmulator.StartAsync();
        var services = new ServiceCollection();
        void Configure(PaygenticOptions o)
        {
            o.Retry.MaxRetries = 1;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        }

        services.AddPaygentic(emulator, Configure);
        services.AddPaygentic(emulator, Configure);
        var attempts = 0;
        services.AddHttpClient(PaygenticServiceCollectionExtensions.HttpClientName)
            .AddHttpMessageHandler(() => new CountingHandler(() => Interlocked.Increment(ref attempts)));
        await using var provider = services.BuildServiceProvider();
        await emulator.SetFaultsAsync(new EmulatorFaults { Error503Rate = 1 });

        var act = () => provider.GetRequiredService<IPaygenticClient>().Customers.GetAsync("cus_1");

        await act.Should().ThrowAsync<PaygenticServerException>();
        services.Count(d => d.ServiceType == typeof(IPaygenticClient)).Should().Be(1);
        attempts.Should().Be(2, "one pipeline: the first attempt and one retry, not 2 x 2");
    }

    private sealed class CountingHandler(Action onSend) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task A_user_supplied_client_registration_is_kept()
    {
        var services = new ServiceCollection();
        var fake = new FakeClient();
        services.AddSingleton<IPaygenticClient>(fake);
        services.AddPaygentic(o => o.ApiKey = "k");
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IPaygenticClient>().Should().BeSameAs(fake);
    }

    private sealed class FakeClient : IPaygenticClient
    {
        public Customers.ICustomersClient Customers => throw new NotSupportedException();

        public Subscriptions.ISubscriptionsClient Subscriptions => throw new NotSupportedException();

        public Entitlements.IEntitlementsClient Entitlements => throw new NotSupportedException();

        public Usage.IUsageClient Usage => throw new NotSupportedException();

        public Events.IEventsClient Events => throw new NotSupportedException();
    }

    [Fact]
    public void A_missing_key_is_reported_by_validation()
    {
        var result = new PaygenticOptionsValidator().Validate(null, new PaygenticOptions());

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("PAYGENTIC_API_KEY");
    }

    [Fact]
    public void The_primary_handler_is_the_sdks_socket_handler_which_follows_no_redirect()
    {
        // Refit's registrations set a primary handler of their own; the SDK's must be the one that is used.
        using var provider = new ServiceCollection().AddPaygentic(o => o.ApiKey = "sk_test_cfg").BuildServiceProvider();

        var handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(PaygenticServiceCollectionExtensions.HttpClientName);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        var sockets = handler.Should().BeOfType<SocketsHttpHandler>().Subject;
        sockets.AllowAutoRedirect.Should().BeFalse();
        sockets.PooledConnectionLifetime.Should().BePositive().And.NotBe(Timeout.InfiniteTimeSpan);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1023)]
    [InlineData(1024 * 1024 * 1024 + 1)]
    public void A_response_size_cap_out_of_range_is_reported_by_validation(int bytes)
    {
        var result = new PaygenticOptionsValidator().Validate(null, new PaygenticOptions { ApiKey = "sk_test_cfg", MaxResponseBodyBytes = bytes });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Paygentic:MaxResponseBodyBytes");
    }

    [Fact]
    public void The_response_size_cap_binds_from_configuration_and_defaults_to_32_mib()
    {
        var options = new PaygenticOptions();
        options.MaxResponseBodyBytes.Should().Be(32 * 1024 * 1024);

        PaygenticConfigurationBinder.Bind(Config(("MaxResponseBodyBytes", "65536")), options);

        options.MaxResponseBodyBytes.Should().Be(65536);
        new PaygenticOptionsValidator().Validate(null, new PaygenticOptions { ApiKey = "sk_test_cfg", MaxResponseBodyBytes = 65536 }).Succeeded.Should().BeTrue();
    }
}
