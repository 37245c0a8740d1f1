using System.Text;

namespace CodeRunner.Sandbox.Internal;

/// <summary>
/// Reads a child's output pipe to the end, keeping only the first <c>capacity</c> bytes. The rest is still read (and
/// discarded) so that a flooding child never blocks on a full pipe and never costs us memory.
/// </summary>
internal sealed class CappedCapture
{
    private readonly byte[] _buffer;
    private int _kept;

    public CappedCapture(int capacity)
    {
        _buffer = new byte[capacity];
    }

    /// <summary>Bytes read past the cap and thrown away.</summary>
    public long DiscardedBytes { get; private set; }

    public bool Truncated => DiscardedBytes > 0;

    public int Capacity => _buffer.Length;

    public async Task DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        while (true)
        {
            int read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            int keep = Math.Min(read, _buffer.Length - _kept);
            if (keep > 0)
            {
                Array.Copy(chunk, 0, _buffer, _kept, keep);
                _kept += keep;
            }

            DiscardedBytes += read - keep;
        }
    }

    /// <summary>The kept bytes as UTF-8 (invalid sequences, e.g. a character cut at the cap, become U+FFFD).</summary>
    public string Text => Encoding.UTF8.GetString(_buffer, 0, _kept);
}
