using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Paygentic.Sdk.Tests.Support;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 that answers however a test scripts it (huge, endless, dripping, redirecting,
/// echoing), over a real socket, one request per connection. It counts the requests it read and the bytes it managed
/// to write before the client hung up.
/// </summary>
internal sealed class HostileServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<HostileExchange, Task> _respond;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _handlers = [];
    private readonly Task _accepting;
    private int _requests;
    private long _bytesWritten;

    public HostileServer(Func<HostileExchange, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests whose head was read.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Bytes of answers written to the socket (a write the client refused is not counted).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>
    /// Waits until every connection handled so far is finished (its script ran out or the client hung up); bounded,
    /// so a broken test fails instead of hanging.
    /// </summary>
    public async Task HandledAsync()
    {
        Task[] handlers;
        lock (_handlers)
        {
            handlers = [.. _handlers];
        }

        await Task.WhenAll(handlers).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }

        try
        {
            await HandledAsync();
        }
        catch (TimeoutException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_handlers)
            {
                _handlers.Add(HandleAsync(client));
            }
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            try
            {
                var head = await ReadHeadAsync(stream, _stop.Token);
                if (head is null)
                {
                    return;
                }

                await ReadBodyAsync(stream, head, _stop.Token);
                Interlocked.Increment(ref _requests);
                await _respond(new HostileExchange(this, stream, head, _stop.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client hung up (what most scripts here provoke) or the server is stopping.
            }
        }
    }

    internal void Wrote(int count) => Interlocked.Add(ref _bytesWritten, count);

    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    private static async Task ReadBodyAsync(NetworkStream stream, string head, CancellationToken cancellationToken)
    {
        var length = head.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
    }
}

/// <summary>One request and the socket to answer it on.</summary>
internal sealed class HostileExchange(HostileServer server, NetworkStream stream, string head, CancellationToken cancellationToken)
{
    /// <summary>The request line and headers exactly as received.</summary>
    public string RequestHead => head;

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>Writes raw bytes, counting them once the socket took them.</summary>
    public async Task WriteAsync(byte[] bytes)
    {
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        server.Wrote(bytes.Length);
    }

    public Task WriteAsync(string text) => WriteAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>A status line and headers (the connection closes after the answer).</summary>
    public Task WriteHeadAsync(int status, params string[] headers) =>
        WriteAsync($"HTTP/1.1 {status} Status\r\nConnection: close\r\n{string.Concat(headers.Select(h => h + "\r\n"))}\r\n");

    /// <summary>A whole answer with a declared length.</summary>
    public async Task RespondAsync(int status, string contentType, byte[] body, params string[] headers)
    {
        await WriteHeadAsync(status, [$"Content-Type: {contentType}", $"Content-Length: {body.Length}", .. headers]);
        await WriteAsync(body);
    }

    public Task RespondAsync(int status, string contentType, string body, params string[] headers) =>
        RespondAsync(status, contentType, Encoding.UTF8.GetBytes(body), headers);

    /// <summary>One chunk of a chunked body.</summary>
    public Task WriteChunkAsync(byte[] chunk) =>
        WriteAsync([.. Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n"), .. chunk, .. "\r\n"u8]);

    public Task EndChunksAsync() => WriteAsync("0\r\n\r\n");
}
