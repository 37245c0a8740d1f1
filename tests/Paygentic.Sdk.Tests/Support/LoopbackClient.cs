namespace Paygentic.Sdk.Tests.Support;

/// <summary>
/// A client over real sockets to a <see cref="HostileServer"/>, whose transport counts the body bytes the SDK pulled
/// from the socket: the exact measure of how much of an answer it took in (compressed bytes, for a compressed one).
/// </summary>
internal sealed class LoopbackClient : IDisposable
{
    private readonly CountingHandler _transport = new();

    public LoopbackClient(HostileServer server, Action<PaygenticOptions>? configure = null)
    {
        Options = new PaygenticOptions { ApiKey = Harness.ApiKey, BaseUrl = server.BaseUrl, MerchantId = Harness.Merchant };
        Options.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        Options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        configure?.Invoke(Options);
        Client = new PaygenticClient(Options, _transport);
    }

    public PaygenticOptions Options { get; }

    public PaygenticClient Client { get; }

    /// <summary>Body bytes read from the socket, over every answer.</summary>
    public long BodyBytesRead => _transport.BytesRead;

    public void Dispose()
    {
        Client.Dispose();
        _transport.Dispose();
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        private long _bytesRead;

        public long BytesRead => Interlocked.Read(ref _bytesRead);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var original = response.Content;
            var counted = new StreamContent(new CountingStream(await original.ReadAsStreamAsync(cancellationToken), n => Interlocked.Add(ref _bytesRead, n)));
            foreach (var header in original.Headers.NonValidated)
            {
                counted.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = counted;
            return response;
        }
    }

    private sealed class CountingStream(Stream inner, Action<int> counted) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            counted(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            counted(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
