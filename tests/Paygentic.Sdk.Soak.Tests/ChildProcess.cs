using System.Diagnostics;
using System.Threading.Channels;

namespace Paygentic.Sdk.Soak.Tests;

/// <summary>
/// A process started by the soak with its output read line by line (so its pipe never fills), killed by PID with
/// SIGKILL on request or on dispose.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();
    private readonly List<string> _errors = [];

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => _lines.Writer.TryWrite(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.Add(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines of its stderr, for failure messages.</summary>
    public string ErrorTail
    {
        get
        {
            lock (_errors)
            {
                return string.Join('\n', _errors.TakeLast(20));
            }
        }
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}"));
    }

    /// <summary>The next stdout line, or null at its end.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken) => await _lines.Reader.ReadAsync(cancellationToken);

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    /// <summary>SIGKILL: no shutdown, no flush, no finally blocks.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async Task WaitForExitAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public void Dispose()
    {
        try
        {
            Kill();
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It was never started or is already gone.
        }

        _process.Dispose();
    }
}
