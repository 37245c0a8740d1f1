using System.Net;
using System.Text;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Tests.Wire;

/// <summary>
/// The batch call reads its answer into a pooled buffer and sends its body from one: these pin down that the answer
/// is still read whole (a large one, a cut-off one, a non-JSON one) and the body is the same on every attempt.
/// </summary>
public class UsageBatchBodyTests
{
    private static readonly IReadOnlyList<UsageReport> TwoReports = [UsageWireTests.Report("k-0"), UsageWireTests.Report("k-1")];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_201_batch_answer_cut_off_mid_body_is_a_transport_exception_not_a_json_one(bool keepEvents)
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        var head = Encoding.UTF8.GetBytes("""{"object":"batchUsageEvents","successful":[""" + UsageWireTests.EventBody);
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage/batch").Respond(_ => new HttpResponseMessage(HttpStatusCode.Created) { Content = new CutOffContent(head) });

        var act = () => Batch(h, keepEvents);

        var ex = (await act.Should().ThrowAsync<PaygenticTransportException>()).Which;
        ex.Message.Should().Contain("cut off");
        ex.InnerException.Should().BeOfType<IOException>();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_201_batch_answer_that_is_not_json_is_an_invalid_response_carrying_the_raw_text(bool keepEvents)
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage/batch").Respond(HttpStatusCode.Created, "text/html", "<html><body>maintenance</body></html>");

        var act = () => Batch(h, keepEvents);

        var ex = (await act.Should().ThrowAsync<PaygenticInvalidResponseException>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.Created);
        ex.RawBody.Should().Be("<html><body>maintenance</body></html>");
        ex.InnerException.Should().BeNull();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_large_answer_without_a_length_is_read_whole_and_failures_keep_their_index(bool keepEvents)
    {
        // ~700 KB with no Content-Length: the pooled buffer has to grow many times from its first size.
        const int events = 1000;
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        var successful = string.Join(",", Enumerable.Repeat(UsageWireTests.EventBody, events - 1));
        var json = $$$"""{"object":"batchUsageEvents","successful":[{{{successful}}}],"failed":[{"index":999,"idempotencyKey":"k-999","error":"Insufficient funds"}],"summary":{"total":{{{events}}},"successful":{{{events - 1}}},"failed":1}}""";
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage/batch").Respond(_ => new HttpResponseMessage(HttpStatusCode.MultiStatus) { Content = new UnknownLengthContent(Encoding.UTF8.GetBytes(json)) });
        var reports = Enumerable.Range(0, events).Select(i => UsageWireTests.Report($"k-{i}")).ToList();

        var result = await ((UsageClient)h.Client.Usage).CreateBatchAsync(reports, keepEvents, CancellationToken.None);

        result.Failed.Should().ContainSingle().Which.Should().Be(new UsageBatchFailure(999, "k-999", "Insufficient funds"));
        result.IsPartial.Should().BeTrue();
        result.Successful.Should().HaveCount(keepEvents ? events - 1 : 0);
    }

    [Fact]
    public async Task A_retried_batch_sends_the_same_body_with_its_length_on_every_attempt()
    {
        using var h = new Harness();
        var lengths = new List<long?>();
        var calls = 0;
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage/batch").Respond(request =>
        {
            lock (lengths)
            {
                lengths.Add(request.Content!.Headers.ContentLength);
            }

            return Interlocked.Increment(ref calls) == 1
                ? Harness.Response(HttpStatusCode.ServiceUnavailable, """{"message":"transient"}""")
                : Harness.Response(HttpStatusCode.Created, """{"object":"batchUsageEvents","successful":[],"failed":[],"summary":{"total":2,"successful":2,"failed":0}}""");
        });

        var result = await h.RunAsync(h.Client.Usage.CreateBatchAsync(TwoReports));

        result.Failed.Should().BeEmpty();
        h.Requests.Should().HaveCount(2);
        h.Requests[1].Body.Should().Be(h.Requests[0].Body);
        h.Requests[0].ContentType.Should().Be("application/json");
        ((string)h.Requests[0].Json["events"]![1]!["idempotencyKey"]!).Should().Be("k-1");
        lengths.Should().HaveCount(2).And.OnlyContain(l => l == Encoding.UTF8.GetByteCount(h.Requests[0].Body!));
    }

    private static Task<UsageBatchResult> Batch(Harness h, bool keepEvents) =>
        ((UsageClient)h.Client.Usage).CreateBatchAsync(TwoReports, keepEvents, CancellationToken.None);

    /// <summary>Declares more than it has: the read fails part-way, as when a connection drops mid-answer.</summary>
    private sealed class CutOffContent(byte[] head) : HttpContent
    {
        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new CutOffStream(head));

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(head);
            throw new IOException("The response ended prematurely.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = head.Length * 4L;
            return true;
        }
    }

    private sealed class CutOffStream(byte[] head) : MemoryStream(head)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("The response ended prematurely.");
    }

    /// <summary>A body with no Content-Length, handed out in small reads.</summary>
    private sealed class UnknownLengthContent(byte[] body) : HttpContent
    {
        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new TrickleStream(body));

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body, 0, body.Length);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private sealed class TrickleStream(byte[] body) : MemoryStream(body)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 4096)], cancellationToken);
    }
}
