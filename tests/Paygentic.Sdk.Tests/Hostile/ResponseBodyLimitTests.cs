using System.Diagnostics;
using System.IO.Compression;
using Paygentic.Sdk.Tests.Support;
using Paygentic.Sdk.Tests.Wire;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Tests.Hostile;

/// <summary>
/// Answers that would hold a caller's memory or time without bound, from a real server on a real socket: each ends
/// with a typed exception, near the size cap or at the attempt timeout, and is not asked for again.
/// </summary>
public class ResponseBodyLimitTests
{
    private const int MiB = 1024 * 1024;

    // Kernel socket buffers on both sides and the handler's drain of an abandoned answer: what a server can push
    // before it notices the client has gone, whatever the cap.
    private const long SocketSlack = 16L * MiB;

    private static readonly byte[] Chunk = new byte[64 * 1024];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_40_MiB_answer_with_the_default_32_MiB_cap_is_too_large_and_not_retried(bool declaredLength)
    {
        await using var server = new HostileServer(async x =>
        {
            if (declaredLength)
            {
                await x.WriteHeadAsync(201, "Content-Type: application/json", $"Content-Length: {40 * MiB}");
                for (var sent = 0; sent < 40 * MiB; sent += Chunk.Length)
                {
                    await x.WriteAsync(Chunk);
                }
            }
            else
            {
                await x.WriteHeadAsync(201, "Content-Type: application/json", "Transfer-Encoding: chunked");
                for (var sent = 0; sent < 40 * MiB; sent += Chunk.Length)
                {
                    await x.WriteChunkAsync(Chunk);
                }

                await x.EndChunksAsync();
            }
        });
        using var c = new LoopbackClient(server);

        var act = () => c.Client.Usage.CreateAsync(UsageWireTests.Report());

        var ex = (await act.Should().ThrowAsync<PaygenticResponseTooLargeException>()).Which;
        ex.Should().BeAssignableTo<PaygenticTransportException>();
        ex.Message.Should().Contain("33554432").And.Contain("POST /v0/usage").And.Contain("MaxResponseBodyBytes").And.NotContain(Harness.ApiKey);
        server.Requests.Should().Be(1, "an answer over the cap is not asked for again");
        c.BodyBytesRead.Should().BeLessThanOrEqualTo(32 * MiB + 1, "nothing past the cap (and the one byte that proves it is over) is read");
        if (declaredLength)
        {
            c.BodyBytesRead.Should().Be(0, "a declared length over the cap is refused before reading");
        }
    }

    [Fact]
    public async Task An_endless_chunked_answer_stops_at_the_cap_and_the_server_cannot_push_much_more()
    {
        const int cap = MiB;
        await using var server = new HostileServer(async x =>
        {
            await x.WriteHeadAsync(200, "Content-Type: application/json", "Transfer-Encoding: chunked");
            while (true)
            {
                await x.WriteChunkAsync(Chunk);
            }
        });
        using var c = new LoopbackClient(server, o => o.MaxResponseBodyBytes = cap);

        var act = () => c.Client.Customers.GetAsync("cus_1");

        var ex = (await act.Should().ThrowAsync<PaygenticResponseTooLargeException>()).Which;
        ex.Message.Should().Contain("1048576").And.Contain("GET /v0/customers/cus_1");
        c.BodyBytesRead.Should().BeLessThanOrEqualTo(cap + 1);
        await server.HandledAsync();
        server.Requests.Should().Be(1, "a GET is retried on transport errors, but never on an answer over the cap");
        server.BytesWritten.Should().BeLessThan(cap + SocketSlack, "the client hung up at the cap instead of reading on");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_gzip_bomb_on_the_batch_call_stops_at_the_cap_after_inflation(bool keepEvents)
    {
        // 40 MiB of zeros packs into a few dozen KB: the declared (compressed) length says nothing about the answer.
        var bomb = GzipOfZeros(40 * MiB);
        bomb.Length.Should().BeLessThan(MiB);
        await using var server = new HostileServer(x => x.RespondAsync(201, "application/json", bomb, "Content-Encoding: gzip"));
        using var c = new LoopbackClient(server);
        var usage = (UsageClient)c.Client.Usage;

        var act = () => usage.CreateBatchAsync([UsageWireTests.Report("k-0"), UsageWireTests.Report("k-1")], keepEvents, CancellationToken.None);

        var ex = (await act.Should().ThrowAsync<PaygenticResponseTooLargeException>()).Which;
        ex.Message.Should().Contain("33554432").And.Contain("POST /v0/usage/batch");
        server.Requests.Should().Be(1);
        c.BodyBytesRead.Should().BeLessThanOrEqualTo(bomb.Length);
    }

    [Fact]
    public async Task A_body_that_drips_a_byte_every_2_s_ends_at_the_attempt_timeout()
    {
        // A real socket, so real time: the body read has to be inside the attempt's timeout for this to end at ~1 s.
        await using var server = new HostileServer(async x =>
        {
            await x.WriteHeadAsync(201, "Content-Type: application/json", "Content-Length: 100");
            while (true)
            {
                await x.WriteAsync("{"u8.ToArray());
                await Task.Delay(TimeSpan.FromSeconds(2), x.CancellationToken);
            }
        });
        using var c = new LoopbackClient(server, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(30);
            o.Retry.MaxRetries = 0;
        });
        var clock = Stopwatch.StartNew();

        var act = () => c.Client.Usage.CreateAsync(UsageWireTests.Report());

        await act.Should().ThrowAsync<PaygenticTimeoutException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        server.Requests.Should().Be(1);
    }

    [Fact]
    public async Task The_total_timeout_covers_a_dripping_body_across_retries()
    {
        await using var server = new HostileServer(async x =>
        {
            await x.WriteHeadAsync(200, "Content-Type: application/json", "Content-Length: 100");
            while (true)
            {
                await x.WriteAsync("{"u8.ToArray());
                await Task.Delay(TimeSpan.FromSeconds(2), x.CancellationToken);
            }
        });
        using var c = new LoopbackClient(server, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(1.5);
            o.Retry.MaxRetries = 5;
        });
        var clock = Stopwatch.StartNew();

        var act = () => c.Client.Customers.GetAsync("cus_1");

        await act.Should().ThrowAsync<PaygenticTimeoutException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4.5));
    }

    private static byte[] GzipOfZeros(int length)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var written = 0; written < length; written += Chunk.Length)
            {
                gzip.Write(Chunk);
            }
        }

        return packed.ToArray();
    }
}
