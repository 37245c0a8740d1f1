using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CodeRunner.Server.Tests;

/// <summary>
/// The server as a child process (its built dll beside the tests), billing through an emulator given by URL, so a
/// test can kill -9 it and start it again on the same data directory while the emulator keeps its ledger.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private ServerProcess(Process process) => _process = process;

    public Uri Url => _listening.Task.Result;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(Uri emulator, string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "CodeRunner.Server.dll"), "--data", dataDirectory, "--workers", "1", "--no-demo", "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PAYGENTIC_API_KEY"] = "sk_test_emulator";
        start.Environment["PAYGENTIC_BASE_URL"] = emulator.ToString();
        start.Environment["PAYGENTIC_MERCHANT_ID"] = "org_demo";
        var server = new ServerProcess(Process.Start(start)!);
        server._process.OutputDataReceived += (_, e) => server.Line(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Line(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        Task exited = server._process.WaitForExitAsync();
        Task first = await Task.WhenAny(server._listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(60));
        first.Should().BeSameAs(server._listening.Task, "the server should start: " + server.Output);
        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine or the OOM killer stops it.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            KillHard();
        }

        _process.Dispose();
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"CodeRunner\.Server listening on (http://\S+)")]
    private static partial Regex Listening();
}
