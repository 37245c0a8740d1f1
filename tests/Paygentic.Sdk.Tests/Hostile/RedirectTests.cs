using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Paygentic.Sdk.DependencyInjection;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Tests.Wire;

namespace Paygentic.Sdk.Tests.Hostile;

/// <summary>
/// A redirect is never followed, by either way of building the client, and never retried: a usage report cannot be
/// re-sent (with its key) to whatever origin a 3xx names.
/// </summary>
public class RedirectTests
{
    [Theory]
    [InlineData(302, false)]
    [InlineData(307, false)]
    [InlineData(302, true)]
    [InlineData(307, true)]
    public async Task A_redirect_to_another_origin_is_a_typed_error_and_the_other_origin_receives_nothing(int status, bool dependencyInjection)
    {
        await using var elsewhere = new HostileServer(x => x.RespondAsync(201, "application/json", UsageWireTests.EventBody));
        var target = $"http://user:pa55@127.0.0.1:{elsewhere.Port}/v0/usage?token=s3cr3t-token#frag";
        await using var server = new HostileServer(x => x.RespondAsync(status, "text/html", "<a>moved</a>", $"Location: {target}"));
        var (client, owner) = Build(server, dependencyInjection);
        using var _ = owner;

        var act = () => client.Usage.CreateAsync(UsageWireTests.Report());

        var ex = (await act.Should().ThrowAsync<PaygenticUnexpectedRedirectException>()).Which;
        ex.Should().BeAssignableTo<PaygenticApiException>();
        ex.StatusCode.Should().Be((HttpStatusCode)status);
        ex.Location.Should().Be($"http://127.0.0.1:{elsewhere.Port}/v0/usage?(query removed)");
        ex.Message.Should().Contain($"returned {status}").And.Contain($"127.0.0.1:{elsewhere.Port}/v0/usage")
            .And.NotContain("s3cr3t-token").And.NotContain("pa55").And.NotContain(Harness.ApiKey);
        server.Requests.Should().Be(1, "a redirect is not retried");
        elsewhere.Requests.Should().Be(0, "a redirect is never followed");
    }

    [Fact]
    public async Task A_relative_redirect_keeps_its_path_and_drops_its_query()
    {
        await using var server = new HostileServer(x => x.RespondAsync(301, "application/json", "{}", $"Location: /elsewhere/{Harness.ApiKey}?sig=abc"));
        var (client, owner) = Build(server, dependencyInjection: false);
        using var _ = owner;

        var act = () => client.Customers.GetAsync("cus_1");

        var ex = (await act.Should().ThrowAsync<PaygenticUnexpectedRedirectException>()).Which;
        ex.Location.Should().Be("/elsewhere/[REDACTED]?(query removed)");
        ex.ToString().Should().NotContain(Harness.ApiKey).And.NotContain("sig=abc");
        server.Requests.Should().Be(1);
    }

    private static (IPaygenticClient Client, IDisposable Owner) Build(HostileServer server, bool dependencyInjection)
    {
        void Configure(PaygenticOptions o)
        {
            o.ApiKey = Harness.ApiKey;
            o.BaseUrl = server.BaseUrl;
            o.MerchantId = Harness.Merchant;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        }

        if (!dependencyInjection)
        {
            var options = new PaygenticOptions();
            Configure(options);
            var owned = new PaygenticClient(options);
            return (owned, owned);
        }

        var provider = new ServiceCollection().AddPaygentic(Configure).BuildServiceProvider();
        return (provider.GetRequiredService<IPaygenticClient>(), provider);
    }
}
