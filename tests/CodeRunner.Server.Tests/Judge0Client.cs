using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CodeRunner.Server.Tests;

/// <summary>
/// A Judge0 client written from Judge0's documentation (judge0.md C1–C4), not from the server's types: raw HTTP and
/// JSON, X-Auth-Token, base64_encoded/wait/fields as query parameters.
/// </summary>
internal sealed class Judge0Client(Uri baseUrl, string? token) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(90) };

    public string? Token { get; } = token;

    public Judge0Client WithToken(string? other) => new(baseUrl, other);

    public Task<Reply> CreateAsync(JsonObject submission, bool base64 = false, bool wait = false, string? fields = null) =>
        SendAsync(HttpMethod.Post, $"/submissions?base64_encoded={Flag(base64)}&wait={Flag(wait)}{Fields(fields)}", submission.ToJsonString());

    public Task<Reply> GetAsync(string token, bool base64 = false, string? fields = null) =>
        SendAsync(HttpMethod.Get, $"/submissions/{token}?base64_encoded={Flag(base64)}{Fields(fields)}");

    public Task<Reply> DeleteAsync(string token) => SendAsync(HttpMethod.Delete, $"/submissions/{token}");

    public Task<Reply> BatchAsync(JsonArray submissions, bool base64 = false) =>
        SendAsync(HttpMethod.Post, $"/submissions/batch?base64_encoded={Flag(base64)}", new JsonObject { ["submissions"] = submissions }.ToJsonString());

    public Task<Reply> GetBatchAsync(IEnumerable<string> tokens, bool base64 = false, string? fields = null) =>
        SendAsync(HttpMethod.Get, $"/submissions/batch?tokens={string.Join(',', tokens)}&base64_encoded={Flag(base64)}{Fields(fields)}");

    /// <summary>Polls until the submission leaves statuses 1 and 2 (Judge0's documented way to get a result).</summary>
    public async Task<JsonObject> PollAsync(string token, bool base64 = false, string? fields = null, int seconds = 60)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        string selection = fields ?? "*";
        while (true)
        {
            Reply reply = await GetAsync(token, base64, selection);
            reply.Status.Should().Be(HttpStatusCode.OK, reply.Text);
            int status = (int)reply.Json!["status"]!["id"]!;
            if (status > 2)
            {
                return reply.Object;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"submission {token} should finish");
            await Task.Delay(100);
        }
    }

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (Token is not null)
        {
            request.Headers.Add("X-Auth-Token", Token);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using HttpResponseMessage response = await _http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text, response.Headers.Location);
    }

    public void Dispose() => _http.Dispose();

    private static string Flag(bool value) => value ? "true" : "false";

    private static string Fields(string? fields) => fields is null ? "" : "&fields=" + Uri.EscapeDataString(fields);
}

/// <summary>An HTTP answer: status, raw body, parsed JSON (null when empty) and the redirect target.</summary>
internal sealed record Reply(HttpStatusCode Status, string Text, Uri? Location)
{
    public JsonNode? Json => Text.Length == 0 ? null : JsonNode.Parse(Text);

    public JsonObject Object => Json!.AsObject();
}
