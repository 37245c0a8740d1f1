using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Tests.Wire;

/// <summary>
/// Only the batch call, whose answer lists every accepted event, asks for a compressed answer; the client inflates it
/// itself (there is no decompression layer taxing every other call).
/// </summary>
public class UsageBatchCompressionTests
{
    private const string PartialAnswer =
        """{"object":"batchUsageEvents","successful":[],"failed":[{"index":1,"idempotencyKey":"k-1","error":"Insufficient funds"}],"summary":{"total":2,"successful":1,"failed":1}}""";

    private static readonly IReadOnlyList<UsageReport> TwoReports = [UsageWireTests.Report("k-0"), UsageWireTests.Report("k-1")];

    [Fact]
    public async Task The_batch_call_asks_for_compression_and_a_single_create_does_not()
    {
        using var h = new Harness();
        string? batchAccepts = null;
        string? createAccepts = "unset";
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage/batch").Respond(request =>
        {
            batchAccepts = request.Headers.NonValidated.TryGetValues("Accept-Encoding", out var v) ? v.ToString() : null;
            return Json(HttpStatusCode.Created, """{"object":"batchUsageEvents","successful":[],"failed":[]}""");
        });
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage").Respond(request =>
        {
            createAccepts = request.Headers.NonValidated.TryGetValues("Accept-Encoding", out var v) ? v.ToString() : null;
            return Json(HttpStatusCode.Created, UsageWireTests.EventBody);
        });

        await h.Client.Usage.CreateBatchAsync(TwoReports);
        await h.Client.Usage.CreateAsync(UsageWireTests.Report("k-9"));

        batchAccepts.Should().Contain("gzip").And.Contain("br");
        createAccepts.Should().BeNull("a few hundred bytes are not worth compressing");
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task A_compressed_batch_answer_is_inflated_and_its_failures_keep_their_index(string encoding)
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage/batch").Respond(_ => Compressed(HttpStatusCode.MultiStatus, PartialAnswer, encoding));

        var result = await h.Client.Usage.CreateBatchAsync(TwoReports);

        result.Failed.Should().ContainSingle().Which.Should().Be(new UsageBatchFailure(1, "k-1", "Insufficient funds"));
        result.IsPartial.Should().BeTrue();
    }

    [Fact]
    public async Task A_compressed_error_answer_still_becomes_a_typed_exception_with_its_text()
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage/batch").Respond(_ => Compressed(HttpStatusCode.BadRequest, """{"message":"events must not be empty","error":"bad_request"}""", "gzip"));

        var act = () => h.Client.Usage.CreateBatchAsync(TwoReports);

        (await act.Should().ThrowAsync<PaygenticBadRequestException>()).Which.ApiMessage.Should().Be("events must not be empty");
    }

    [Fact]
    public async Task A_corrupt_compressed_answer_is_a_transport_exception()
    {
        using var h = new Harness(o => o.Retry.MaxRetries = 0);
        h.Mock.When(HttpMethod.Post, Harness.BaseUrl + "v0/usage/batch").Respond(_ =>
        {
            var response = Json(HttpStatusCode.Created, "this is not gzip at all, though the header says so");
            response.Content.Headers.ContentEncoding.Add("gzip");
            return response;
        });

        var act = () => h.Client.Usage.CreateBatchAsync(TwoReports);

        var ex = (await act.Should().ThrowAsync<PaygenticTransportException>()).Which;
        ex.Message.Should().Contain("could not be decompressed");
        ex.InnerException.Should().BeOfType<InvalidDataException>();
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private static HttpResponseMessage Compressed(HttpStatusCode status, string body, string encoding)
    {
        using var packed = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" => new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true),
            "br" => new BrotliStream(packed, CompressionLevel.Fastest, leaveOpen: true),
            _ => new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            compressor.Write(Encoding.UTF8.GetBytes(body));
        }

        var content = new ByteArrayContent(packed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add(encoding);
        return new HttpResponseMessage(status) { Content = content };
    }
}
