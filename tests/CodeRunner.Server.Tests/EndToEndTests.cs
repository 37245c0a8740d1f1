using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CodeRunner.Server.Tests;

/// <summary>
/// The user's journey over real HTTP: sign-up → 402 before the checkout is paid → checkout → submissions (wait and
/// poll, plain and base64, fields=*) → exact fields → charges exact to the nanodollar in the emulator's ledger.
/// </summary>
public sealed class EndToEndTests(TestServer server) : IClassFixture<TestServer>
{
    private const long BasicNanos = 10_000_000;     // $0.01 per basic-tier submission
    private const long CpuMsNanos = 10_000;         // $0.00001 per CPU millisecond

    [Fact]
    public async Task SignUp_checkout_submit_and_the_ledger_agree_to_the_nanodollar()
    {
        (string token, JsonObject signUp) = await server.SignUpAsync("journey@example.com", pay: false);
        token.Should().StartWith("crk_");
        signUp["state"]!.GetValue<string>().Should().Be("pending_payment");
        using Judge0Client client = server.Client(token);

        // Before the checkout is paid the user cannot be charged: 402, nothing queued.
        Reply refused = await client.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print(1)" });
        refused.Status.Should().Be(HttpStatusCode.PaymentRequired, refused.Text);
        refused.Json!["code"]!.GetValue<string>().Should().Be("NO_ACTIVE_SUBSCRIPTION");
        refused.Json!["error"]!.GetValue<string>().Should().StartWith("payment required");
        refused.Json!["billing_portal_url"]!.GetValue<string>().Should().Be(new Uri(server.Url, "/billing-portal").ToString());

        await TestServer.PayAsync(new Uri((string)signUp["checkout_url"]!));

        Reply waited = await client.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print(6*7)" }, wait: true, fields: "*");
        waited.Status.Should().Be(HttpStatusCode.Created, waited.Text);
        JsonObject result = waited.Object;
        result["stdout"]!.GetValue<string>().Should().Be("42\n");
        JsonAssert.Same(result["status"]!, """{"id":3,"description":"Accepted"}""");
        result["status_id"]!.GetValue<int>().Should().Be(3);
        result["exit_code"]!.GetValue<int>().Should().Be(0);
        result["stderr"].Should().BeNull();
        result["compile_output"].Should().BeNull();
        result["message"].Should().BeNull();
        result["language_id"]!.GetValue<int>().Should().Be(71);
        result["language"]!["name"]!.GetValue<string>().Should().StartWith("Python (");
        result["source_code"]!.GetValue<string>().Should().Be("print(6*7)");
        result["cpu_time_limit"]!.GetValue<decimal>().Should().Be(5.0m);
        result["wall_time_limit"]!.GetValue<decimal>().Should().Be(10.0m);
        result["memory_limit"]!.GetValue<int>().Should().Be(128000);
        result["number_of_runs"]!.GetValue<int>().Should().Be(1);
        result["time"]!.GetValue<string>().Should().MatchRegex(@"^\d+\.\d{3}$");
        result["wall_time"]!.GetValue<string>().Should().MatchRegex(@"^\d+\.\d{3}$");
        result["memory"]!.GetValue<long>().Should().BePositive();
        result["created_at"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        result["finished_at"].Should().NotBeNull();

        // The default fields are exactly Judge0's.
        Reply defaults = await client.GetAsync((string)result["token"]!);
        defaults.Object.Select(p => p.Key).Should().Equal("token", "time", "memory", "stdout", "stderr", "compile_output", "message", "status");

        // The charge: the tier's unit plus CPU milliseconds, as the ledger recorded it under the submission's key.
        string customer = await server.CustomerIdAsync("journey@example.com");
        Ledger ledger = await Ledger.SettledAsync(server.Host.Backend.BaseUrl, customer, expectedCharges: 1);
        long charged = ledger.Charges["j0-" + (string)result["token"]! + ":usage"];
        decimal chargeUsd = decimal.Parse((string)result["charge_usd"]!, CultureInfo.InvariantCulture);
        charged.Should().Be((long)(chargeUsd * 1_000_000_000m));
        ((charged - BasicNanos) % CpuMsNanos).Should().Be(0);
        charged.Should().BeGreaterThanOrEqualTo(BasicNanos + CpuMsNanos);
        ledger.Prefunds.Should().Be(10_000_000_000);
        ledger.Held.Should().Be(0);
        ledger.Balance.Should().Be(ledger.Prefunds - charged);
        ledger.InvariantHolds.Should().BeTrue();

        Reply account = await client.SendAsync(HttpMethod.Get, "/account");
        account.Json!["spend_nanodollars"]!.GetValue<long>().Should().Be(charged);
        account.Json!["state"]!.GetValue<string>().Should().Be("active");
    }

    [Fact]
    public async Task Base64_and_polling_round_trip_stdin_and_judge_expected_output()
    {
        (string token, _) = await server.SignUpAsync("poller@example.com");
        using Judge0Client client = server.Client(token);
        static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        Reply created = await client.CreateAsync(new JsonObject
        {
            ["language_id"] = 71,
            ["source_code"] = B64("print(input()[::-1])"),
            ["stdin"] = B64("héllo"),
            ["expected_output"] = B64("olléh"),
        }, base64: true);
        created.Status.Should().Be(HttpStatusCode.Created);
        created.Object.Select(p => p.Key).Should().Equal("token"); // without wait: the token only

        JsonObject accepted = await client.PollAsync((string)created.Json!["token"]!, base64: true);
        accepted["status"]!["id"]!.GetValue<int>().Should().Be(3);
        Encoding.UTF8.GetString(Convert.FromBase64String((string)accepted["stdout"]!)).Should().Be("olléh\n");
        accepted["stdin"]!.GetValue<string>().Should().Be(B64("héllo"));

        Reply wrong = await client.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print('no')", ["expected_output"] = "yes" }, wait: true);
        JsonAssert.Same(wrong.Json!["status"]!, """{"id":4,"description":"Wrong Answer"}""");

        Reply failing = await client.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "import sys; sys.exit(3)" }, wait: true, fields: "status,exit_code");
        JsonAssert.Same(failing.Json!, """{"status":{"id":11,"description":"Runtime Error (NZEC)"},"exit_code":3}""");

        // The caller's own submissions, newest first, with Judge0's meta.
        Reply page = await client.SendAsync(HttpMethod.Get, "/submissions?page=1&per_page=2&fields=token");
        JsonAssert.Same(page.Json!["meta"]!, """{"current_page":1,"next_page":2,"prev_page":null,"total_pages":2,"total_count":3}""");
        page.Json!["submissions"]!.AsArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task Batch_answers_good_and_bad_items_in_order_and_bills_each_alone()
    {
        (string token, _) = await server.SignUpAsync("batcher@example.com");
        using Judge0Client client = server.Client(token);
        Reply batch = await client.BatchAsync(
        [
            new JsonObject { ["language_id"] = 71, ["source_code"] = "print('a')" },
            new JsonObject { ["language_id"] = 9999, ["source_code"] = "x" },
            new JsonObject { ["language_id"] = 46, ["source_code"] = "echo b" },
            new JsonObject { ["language_id"] = 71, ["source_code"] = "print(1)", ["cpu_time_limit"] = 20 },
        ]);
        batch.Status.Should().Be(HttpStatusCode.Created, batch.Text);
        JsonArray items = batch.Json!.AsArray();
        items.Should().HaveCount(4);
        JsonAssert.Same(items[1]!, """{"language_id":["language with id 9999 doesn't exist"]}""");
        JsonAssert.Same(items[3]!, """{"cpu_time_limit":["must be less than or equal to 15"]}""");
        string first = (string)items[0]!["token"]!;
        string third = (string)items[2]!["token"]!;
        await client.PollAsync(first);
        await client.PollAsync(third);

        (string other, _) = await server.SignUpAsync("batch-neighbour@example.com");
        using Judge0Client neighbour = server.Client(other);
        Reply theirs = await neighbour.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print('secret')" });
        string foreign = (string)theirs.Json!["token"]!;

        Reply got = await client.GetBatchAsync([first, third, foreign], fields: "stdout,status_id");
        got.Status.Should().Be(HttpStatusCode.OK);
        JsonAssert.Same(got.Json!, """{"submissions":[{"stdout":"a\n","status_id":3},{"stdout":"b\n","status_id":3},null]}""");

        string customer = await server.CustomerIdAsync("batcher@example.com");
        Ledger ledger = await Ledger.SettledAsync(server.Host.Backend.BaseUrl, customer, expectedCharges: 2);
        ledger.Charges.Keys.Should().BeEquivalentTo($"j0-{first}:usage", $"j0-{third}:usage");
    }

    [Fact]
    public async Task Tokens_rotate_and_the_portal_redirects_to_a_fresh_link()
    {
        (string token, _) = await server.SignUpAsync("rotator@example.com");
        using Judge0Client client = server.Client(token);
        Reply portal = await client.SendAsync(HttpMethod.Get, "/billing-portal");
        portal.Status.Should().Be(HttpStatusCode.Redirect);
        portal.Location!.IsLoopback.Should().BeTrue();
        using (var http = new HttpClient())
        {
            (await http.GetAsync(portal.Location)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        Reply again = await client.SendAsync(HttpMethod.Get, "/billing-portal");
        again.Location.Should().NotBe(portal.Location);

        Reply rotated = await client.SendAsync(HttpMethod.Post, "/account/token");
        rotated.Status.Should().Be(HttpStatusCode.OK);
        string fresh = (string)rotated.Json!["api_token"]!;
        (await client.SendAsync(HttpMethod.Get, "/languages")).Status.Should().Be(HttpStatusCode.Unauthorized);
        using Judge0Client renewed = server.Client(fresh);
        (await renewed.SendAsync(HttpMethod.Get, "/languages")).Status.Should().Be(HttpStatusCode.OK);

        using Judge0Client anonymous = server.Client(null);
        Reply duplicate = await anonymous.SendAsync(HttpMethod.Post, "/accounts", """{"name":"Again","email":"ROTATOR@example.com"}""");
        duplicate.Status.Should().Be(HttpStatusCode.Conflict);
        JsonAssert.Same(duplicate.Json!, """{"error":"an account with this email already exists"}""");
    }

    [Fact]
    public async Task Descriptive_routes_speak_judge0()
    {
        (string token, _) = await server.SignUpAsync("reader@example.com");
        using Judge0Client client = server.Client(token);
        JsonArray statuses = (await client.SendAsync(HttpMethod.Get, "/statuses")).Json!.AsArray();
        statuses.Should().HaveCount(14);
        JsonAssert.Same(statuses[12]!, """{"id":13,"description":"Internal Error"}""");
        JsonArray languages = (await client.SendAsync(HttpMethod.Get, "/languages")).Json!.AsArray();
        languages.Select(l => (int)l!["id"]!).Should().Contain(71);
        JsonNode python = (await client.SendAsync(HttpMethod.Get, "/languages/71")).Json!;
        python["source_file"]!.GetValue<string>().Should().Be("main.py");
        JsonNode config = (await client.SendAsync(HttpMethod.Get, "/config_info")).Json!;
        config["max_queue_size"]!.GetValue<int>().Should().Be(100);
        config["max_submission_batch_size"]!.GetValue<int>().Should().Be(20);
        (await client.SendAsync(HttpMethod.Get, "/about")).Json!["version"]!.GetValue<string>().Should().Be("1.13.1");
    }
}
