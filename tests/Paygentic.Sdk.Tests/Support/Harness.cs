using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Paygentic.Sdk.Tests.Support;

/// <summary>A client wired to a MockHttp handler and a fake clock, recording every request it sends.</summary>
internal sealed class Harness : IDisposable
{
    public const string ApiKey = "sk_test_Secr3tK3yValue42";
    public const string Merchant = "org_demo";
    public static readonly Uri BaseUrl = new("http://127.0.0.1:4010");

    public Harness(Action<PaygenticOptions>? configure = null)
    {
        Options = new PaygenticOptions { ApiKey = ApiKey, BaseUrl = BaseUrl, MerchantId = Merchant };
        Options.Retry.BaseDelay = TimeSpan.FromMilliseconds(100);
        configure?.Invoke(Options);
        Client = new PaygenticClient(Options, Recorder, loggerFactory: null, timeProvider: Time);
    }

    public MockHttpMessageHandler Mock { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    public PaygenticOptions Options { get; }

    public PaygenticClient Client { get; }

    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>When set, answers every request instead of the MockHttp handler (for hangs and cancellation).</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? Script { get; set; }

    private RecordingHandler Recorder => _recorder ??= new RecordingHandler(Mock, Requests, this);

    private RecordingHandler? _recorder;

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> with a JSON body.</summary>
    public MockedRequest Respond(HttpMethod method, string path, HttpStatusCode status, string? json, params (string Name, string Value)[] headers) =>
        Mock.When(method, BaseUrl + path.TrimStart('/')).Respond(_ => Response(status, json, headers));

    /// <summary>Answers with each of <paramref name="responses"/> in turn, then repeats the last.</summary>
    public void RespondInSequence(HttpMethod method, string path, params Func<HttpResponseMessage>[] responses)
    {
        var index = 0;
        Mock.When(method, BaseUrl + path.TrimStart('/')).Respond(_ => responses[Math.Min(Interlocked.Increment(ref index) - 1, responses.Length - 1)]());
    }

    public static HttpResponseMessage Response(HttpStatusCode status, string? json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        if (json is not null)
        {
            response.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    public RecordedRequest Single() => Requests.Should().ContainSingle().Subject;

    /// <summary>Advances the fake clock until <paramref name="task"/> completes (retry delays, timeouts).</summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan? step = null)
    {
        await DriveAsync(task, step).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    public async Task DriveAsync(Task task, TimeSpan? step = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The call did not complete while advancing fake time.");
            }

            Time.Advance(step ?? TimeSpan.FromMilliseconds(250));
            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Mock.Dispose();
    }

    private sealed class RecordingHandler(HttpMessageHandler inner, List<RecordedRequest> requests, Harness owner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            lock (requests)
            {
                requests.Add(new RecordedRequest(request.Method, request.RequestUri!, body, request.Headers.Authorization?.ToString(), request.Content?.Headers.ContentType?.MediaType, owner.Time.GetUtcNow(), request.Headers.NonValidated.TryGetValues("User-Agent", out var agents) ? agents.ToString() : null));
            }

            return owner.Script is { } script
                ? await script(request, cancellationToken).ConfigureAwait(false)
                : await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>What the client put on the wire.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Body, string? Authorization, string? ContentType, DateTimeOffset At, string? UserAgent)
{
    public string PathAndQuery => Uri.PathAndQuery;

    public JsonNode Json => JsonNode.Parse(Body ?? throw new InvalidOperationException("The request had no body."))!;

    /// <summary>Asserts the body is exactly this JSON (property order ignored).</summary>
    public void ShouldHaveJson(string expected) =>
        JsonNode.DeepEquals(Json, JsonNode.Parse(expected)).Should().BeTrue($"the body was {Body}");
}
