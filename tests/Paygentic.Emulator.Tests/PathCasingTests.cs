using System.Net;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

/// <summary>
/// Routing ignores case (and decodes the path), so the guards in front of it must classify every spelling of a
/// prefix the way they classify the plain one.
/// </summary>
public sealed class PathCasingTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    public static TheoryData<string> AdminResets => new()
    {
        "/_emulator/reset",
        "/_EMULATOR/reset",
        "/_Emulator/Reset",
        "/_emulator/RESET",
        "/_eMuLaToR/reset",
        "/%5Femulator/reset",
        "/%5FEMULATOR/reset",
        "/_%65mulator/reset",
        "/_%45MULATOR/reset",
        "//_emulator/reset",
        "//_EMULATOR/reset",
        "///_Emulator/reset",
        "/_emulator//reset",
        "/_emulator/reset/",
        "/_EMULATOR/RESET/",
    };

    public static TheoryData<string, string> ApiWithoutKey => new()
    {
        { "GET", "/v0/customers?organizationId=org_demo" },
        { "GET", "/V0/customers?organizationId=org_demo" },
        { "GET", "/v0/CUSTOMERS?organizationId=org_demo" },
        { "GET", "/V0/Customers?organizationId=org_demo" },
        { "GET", "/%760/customers?organizationId=org_demo" },
        { "GET", "/%560/customers?organizationId=org_demo" },
        { "GET", "//v0/customers?organizationId=org_demo" },
        { "GET", "//V0/customers?organizationId=org_demo" },
        { "GET", "/V0/customers/cus_unknown" },
        { "GET", "/V0/SUBSCRIPTIONS/sub_unknown" },
        { "GET", "/V0/usage/usg_unknown" },
        { "POST", "/V0/USAGE" },
        { "POST", "/V0/Events" },
        { "POST", "/V0/Entitlements" },
        { "GET", "/V1/entitlements?customerId=cus_unknown" },
        { "GET", "/v1/ENTITLEMENTS/ent_unknown" },
        { "GET", "/V2/anything" },
    };

    /// <summary>An absolute address: a relative <c>//v0/…</c> would be read as a host name, not as a path.</summary>
    private static string Absolute(TestEmulator emulator, string path) =>
        emulator.Client.BaseAddress!.GetLeftPart(UriPartial.Authority) + path;

    [Theory]
    [MemberData(nameof(AdminResets))]
    public async Task Every_spelling_of_an_admin_path_is_refused_to_a_remote_client_and_changes_nothing(string path)
    {
        await using var emulator = await TestEmulator.StartAsync(remoteClient: Remote);
        var customer = await emulator.CreateCustomerAsync();

        var (status, _) = await emulator.PostAsync(Absolute(emulator, path));

        status.Should().Be(HttpStatusCode.NotFound);
        (await emulator.GetAsync("/v0/customers/" + customer)).Status.Should().Be(HttpStatusCode.OK, "the reset must not have run");
    }

    [Theory]
    [InlineData("/_EMULATOR/health")]
    [InlineData("/_Emulator/Ledger")]
    [InlineData("/%5Femulator/faults")]
    [InlineData("//_emulator/health")]
    public async Task Admin_reads_in_any_spelling_are_refused_to_a_remote_client(string path)
    {
        await using var emulator = await TestEmulator.StartAsync(remoteClient: Remote);

        (await emulator.GetAsync(Absolute(emulator, path))).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/_EMULATOR/health")]
    [InlineData("/_Emulator/Health")]
    [InlineData("/%5Femulator/health")]
    public async Task Admin_paths_in_any_spelling_still_answer_a_local_client(string path)
    {
        await using var emulator = await TestEmulator.StartAsync();

        (await emulator.GetAsync(Absolute(emulator, path))).Status.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(ApiWithoutKey))]
    public async Task Every_spelling_of_an_api_path_without_a_key_is_a_401(string method, string path)
    {
        foreach (var remote in new[] { null, Remote })
        {
            await using var emulator = await TestEmulator.StartAsync(remoteClient: remote);
            using var anonymous = emulator.NewClient(null);

            var response = await emulator.SendAsync(new HttpMethod(method), Absolute(emulator, path), method == "POST" ? "{}" : null, anonymous);

            response.ShouldBeError(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }
    }

    [Theory]
    [InlineData("/V0/customers?organizationId=org_demo", HttpStatusCode.OK)]
    [InlineData("/v0/CUSTOMERS?organizationId=org_demo", HttpStatusCode.OK)]
    [InlineData("/%560/customers?organizationId=org_demo", HttpStatusCode.OK)]
    [InlineData("/V0/customers?organizationId=org_other", HttpStatusCode.Forbidden)]
    [InlineData("/V0/CUSTOMERS/cus_unknown", HttpStatusCode.NotFound)]

    // Routing matches no endpoint for an empty first segment: a plain 404, like any unknown path.
    [InlineData("//v0/customers?organizationId=org_demo", HttpStatusCode.NotFound)]
    public async Task Every_spelling_of_an_api_path_with_a_key_answers_like_the_plain_one(string path, HttpStatusCode expected)
    {
        await using var emulator = await TestEmulator.StartAsync();

        (await emulator.GetAsync(Absolute(emulator, path))).Status.Should().Be(expected);
    }

    [Fact]
    public async Task A_fault_path_prefix_matches_any_casing_of_the_path()
    {
        await using var emulator = await TestEmulator.StartAsync();
        (await emulator.PostAsync("/_emulator/faults", new { error503Rate = 1.0, pathPrefix = "/v0/customers" })).Status.Should().Be(HttpStatusCode.OK);

        (await emulator.GetAsync("/V0/CUSTOMERS?organizationId=org_demo")).Status.Should().Be(HttpStatusCode.ServiceUnavailable);
    }
}
