using System.Net;
using System.Text.Json.Nodes;

namespace CodeRunner.Server.Tests;

/// <summary>Bad requests, each answered with Judge0's status and body (422 per field, 400, 401, 404, 409).</summary>
public sealed class BadInputTests(BadInputTests.Fixture fixture) : IClassFixture<BadInputTests.Fixture>
{
    private static readonly string LongSource = new('x', 65_537);

    public static TheoryData<string, string, string, string?, string, int, string> Cases => new()
    {
        { "no token", "POST", "/submissions", """{"language_id":71,"source_code":"print(1)"}""", "none", 401, "" },
        { "unknown token", "GET", "/languages", null, "unknown", 401, "" },
        { "unknown language", "POST", "/submissions", """{"language_id":999,"source_code":"x"}""", "own", 422, """{"language_id":["language with id 999 doesn't exist"]}""" },
        { "missing source", "POST", "/submissions", """{"language_id":71}""", "own", 422, """{"source_code":["can't be blank"]}""" },
        { "missing language", "POST", "/submissions", """{"source_code":"x"}""", "own", 422, """{"language_id":["can't be blank"]}""" },
        { "cpu over max", "POST", "/submissions", """{"language_id":71,"source_code":"x","cpu_time_limit":16}""", "own", 422, """{"cpu_time_limit":["must be less than or equal to 15"]}""" },
        { "cpu zero", "POST", "/submissions", """{"language_id":71,"source_code":"x","cpu_time_limit":0}""", "own", 422, """{"cpu_time_limit":["must be greater than 0"]}""" },
        { "wall under min", "POST", "/submissions", """{"language_id":71,"source_code":"x","cpu_time_limit":0.5,"wall_time_limit":0.5}""", "own", 422, """{"wall_time_limit":["must be greater than or equal to 1"]}""" },
        { "wall over max", "POST", "/submissions", """{"language_id":71,"source_code":"x","wall_time_limit":21}""", "own", 422, """{"wall_time_limit":["must be less than or equal to 20"]}""" },
        { "wall below cpu", "POST", "/submissions", """{"language_id":71,"source_code":"x","cpu_time_limit":5,"wall_time_limit":2}""", "own", 422, """{"wall_time_limit":["must be greater than or equal to cpu_time_limit"]}""" },
        { "memory under min", "POST", "/submissions", """{"language_id":71,"source_code":"x","memory_limit":1000}""", "own", 422, """{"memory_limit":["must be greater than or equal to 2048"]}""" },
        { "memory over max", "POST", "/submissions", """{"language_id":71,"source_code":"x","memory_limit":600000}""", "own", 422, """{"memory_limit":["must be less than or equal to 512000"]}""" },
        { "memory not a number", "POST", "/submissions", """{"language_id":71,"source_code":"x","memory_limit":"lots"}""", "own", 422, """{"memory_limit":["is not a number"]}""" },
        { "memory not whole", "POST", "/submissions", """{"language_id":71,"source_code":"x","memory_limit":2048.5}""", "own", 422, """{"memory_limit":["must be an integer"]}""" },
        { "stack over max", "POST", "/submissions", """{"language_id":71,"source_code":"x","stack_limit":128001}""", "own", 422, """{"stack_limit":["must be less than or equal to 128000"]}""" },
        { "processes over max", "POST", "/submissions", """{"language_id":71,"source_code":"x","max_processes_and_or_threads":121}""", "own", 422, """{"max_processes_and_or_threads":["must be less than or equal to 120"]}""" },
        { "file size over max", "POST", "/submissions", """{"language_id":71,"source_code":"x","max_file_size":4097}""", "own", 422, """{"max_file_size":["must be less than or equal to 4096"]}""" },
        { "runs over max", "POST", "/submissions", """{"language_id":71,"source_code":"x","number_of_runs":21}""", "own", 422, """{"number_of_runs":["must be less than or equal to 20"]}""" },
        { "extra time over max", "POST", "/submissions", """{"language_id":71,"source_code":"x","cpu_extra_time":6}""", "own", 422, """{"cpu_extra_time":["must be less than or equal to 5"]}""" },
        { "network refused", "POST", "/submissions", """{"language_id":71,"source_code":"x","enable_network":true}""", "own", 422, """{"enable_network":["enabling network is not allowed"]}""" },
        { "callback refused", "POST", "/submissions", """{"language_id":71,"source_code":"x","callback_url":"http://127.0.0.1:9/cb"}""", "own", 422, """{"callback_url":["callbacks are not enabled on this server; poll GET /submissions/{token}"]}""" },
        { "bad base64", "POST", "/submissions?base64_encoded=true", """{"language_id":71,"source_code":"not base64!"}""", "own", 422, """{"source_code":["is not valid base64"]}""" },
        { "source over cap", "POST", "/submissions", $$"""{"language_id":71,"source_code":"{{LongSource}}"}""", "own", 422, """{"source_code":["is too long (maximum is 65536 characters)"]}""" },
        { "not JSON", "POST", "/submissions", "{oops", "own", 400, """{"error":"the request body is not valid JSON"}""" },
        { "unknown fields on create", "POST", "/submissions?fields=token,colour", """{"language_id":71,"source_code":"x"}""", "own", 400, """{"error":"invalid fields: [colour]"}""" },
        { "unknown fields on list", "GET", "/submissions?fields=nope", null, "own", 400, """{"error":"invalid fields: [nope]"}""" },
        { "bad page size", "GET", "/submissions?per_page=0", null, "own", 400, """{"error":"page must be ≥ 1 and per_page between 1 and 100"}""" },
        { "unknown submission", "GET", "/submissions/00000000-0000-0000-0000-000000000000", null, "own", 404, """{"error":"not found"}""" },
        { "unknown language id", "GET", "/languages/9999", null, "own", 404, """{"error":"not found"}""" },
        { "21-item batch", "POST", "/submissions/batch", "{\"submissions\":[" + string.Join(',', Enumerable.Repeat("""{"language_id":71,"source_code":"x"}""", 21)) + "]}", "own", 422, """{"error":"number of submissions in a batch should be between 1 and 20 (got 21)"}""" },
        { "batch not an array", "POST", "/submissions/batch", """{"submissions":{}}""", "own", 422, """{"submissions":["must be an array of submissions"]}""" },
        { "batch all invalid", "POST", "/submissions/batch", """{"submissions":[{"language_id":71}]}""", "own", 422, """[{"source_code":["can't be blank"]}]""" },
        { "batch get without tokens", "GET", "/submissions/batch", null, "own", 400, """{"error":"tokens must list between 1 and 100 submission tokens"}""" },
        { "sign-up without email", "POST", "/accounts", """{"name":"No Mail"}""", "none", 422, """{"email":["can't be blank"]}""" },
        { "sign-up bad email", "POST", "/accounts", """{"name":"Bad","email":"nobody"}""", "none", 422, """{"email":["is invalid"]}""" },
        { "rotation without token", "POST", "/account/token", null, "none", 401, "" },
        { "portal without token", "GET", "/billing-portal", null, "none", 401, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_judge0s_status_and_body(string name, string method, string path, string? body, string auth, int status, string expected)
    {
        string? token = auth switch { "own" => await fixture.TokenAsync(), "unknown" => "crk_" + new string('0', 64), _ => null };
        using Judge0Client client = fixture.Server.Client(token);
        Reply reply = await client.SendAsync(new HttpMethod(method), path, body);
        ((int)reply.Status).Should().Be(status, name + ": " + reply.Text);
        reply.Text.Should().Be(expected, name);
    }

    [Fact]
    public async Task Another_users_submission_is_a_404_never_their_result()
    {
        using Judge0Client owner = fixture.Server.Client(await fixture.TokenAsync());
        Reply created = await owner.CreateAsync(new JsonObject { ["language_id"] = 71, ["source_code"] = "print('mine')" }, wait: true);
        string token = (string)created.Json!["token"]!;
        (string intruderToken, _) = await fixture.Server.SignUpAsync("intruder@example.com");
        using Judge0Client intruder = fixture.Server.Client(intruderToken);

        foreach (Reply reply in new[] { await intruder.GetAsync(token), await intruder.DeleteAsync(token) })
        {
            reply.Status.Should().Be(HttpStatusCode.NotFound);
            reply.Text.Should().Be("""{"error":"not found"}""");
        }

        Reply finished = await owner.DeleteAsync(token);
        finished.Status.Should().Be(HttpStatusCode.BadRequest);
        finished.Text.Should().Be("""{"error":"submission cannot be deleted because its status is 3 (Accepted)"}""");
    }

    /// <summary>One server and one paid account for all the cases.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private string? _token;

        public TestServer Server { get; } = new();

        public async Task<string> TokenAsync() => _token ??= (await Server.SignUpAsync("bad-input@example.com")).Token;

        public Task InitializeAsync() => Server.InitializeAsync();

        public Task DisposeAsync() => Server.DisposeAsync();
    }
}
