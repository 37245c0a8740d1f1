using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CodeRunner.Sandbox.Internal;

/// <summary>The outcome of one child process started by <see cref="ChildProcess"/>.</summary>
internal sealed record ChildOutcome(
    int ExitCode,
    bool KilledByDeadline,
    CappedCapture Stdout,
    CappedCapture Stderr,
    TimeSpan Elapsed);

/// <summary>
/// Starts one process with an explicit, minimal environment, feeds its stdin, drains stdout and stderr into capped
/// buffers and kills it (by PID, with its whole process tree) when the deadline passes or the caller cancels.
/// </summary>
internal static class ChildProcess
{
    /// <summary>The only environment the sandbox tools see; nothing of ours (API keys…) is passed on.</summary>
    internal static readonly IReadOnlyDictionary<string, string> ToolEnvironment = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["LC_ALL"] = "C",
        // No diagnostic IPC socket for any .NET program started from here.
        ["DOTNET_EnableDiagnostics"] = "0",
    };

    public static async Task<ChildOutcome> RunAsync(
        IReadOnlyList<string> argv,
        string workingDirectory,
        string? stdin,
        TimeSpan deadline,
        int outputCap,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        Action<int>? onStarted = null)
    {
        var startInfo = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in argv.Skip(1))
        {
            startInfo.ArgumentList.Add(arg);
        }

        // Start from an empty environment: ProcessStartInfo copies the parent's by default.
        startInfo.Environment.Clear();
        foreach (var (name, value) in ToolEnvironment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = new Process { StartInfo = startInfo };
        using var parentThread = ParentThread.Start(process, argv[0]);
        await parentThread.Started.ConfigureAwait(false);
        long started = timeProvider.GetTimestamp();
        onStarted?.Invoke(process.Id);
        var stdout = new CappedCapture(outputCap);
        var stderr = new CappedCapture(outputCap);
        using var drainCts = new CancellationTokenSource();
        Task drainOut = stdout.DrainAsync(process.StandardOutput.BaseStream, drainCts.Token);
        Task drainErr = stderr.DrainAsync(process.StandardError.BaseStream, drainCts.Token);
        Task feed = FeedStdinAsync(process.StandardInput.BaseStream, stdin);

        bool killedByDeadline = false;
        using (var deadlineCts = new CancellationTokenSource(deadline, timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(deadlineCts.Token, cancellationToken))
        {
            try
            {
                await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                killedByDeadline = !cancellationToken.IsCancellationRequested;
                Kill(process);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        // The pipes close once every process holding them is gone. In a PID namespace that is immediate; without one
        // a stray descendant could keep them open, so stop reading after a grace period rather than hang.
        Task drained = Task.WhenAll(drainOut, drainErr, feed);
        if (await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(2), timeProvider, CancellationToken.None)).ConfigureAwait(false) != drained)
        {
            await drainCts.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await drained.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Output after the grace period is lost on purpose.
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ChildOutcome(process.ExitCode, killedByDeadline, stdout, stderr, timeProvider.GetElapsedTime(started));
    }

    private static void Kill(Process process)
    {
        try
        {
            // Kills by PID, walking /proc for descendants. Killing the first process of a PID namespace takes every
            // process in that namespace with it, so a fork bomb cannot outrun the walk.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (Win32Exception)
        {
            // Exited between the check and the signal.
        }
    }

    private static async Task FeedStdinAsync(Stream input, string? text)
    {
        try
        {
            if (!string.IsNullOrEmpty(text))
            {
                await input.WriteAsync(Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The program exited without reading all of its input; that is its business.
        }
        finally
        {
            try
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Broken pipe on close: same as above.
            }
        }
    }

    /// <summary>
    /// The thread a child is started from, kept alive until the child is done. Linux ties PR_SET_PDEATHSIG (which
    /// bubblewrap's <c>--die-with-parent</c> sets) to the thread that forked, not to the process: started from a pool
    /// thread that the pool later retires, a job would be SIGKILLed mid-run. This thread only waits.
    /// </summary>
    private sealed class ParentThread : IDisposable
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _done = new();

        public Task Started => _started.Task;

        public static ParentThread Start(Process process, string program)
        {
            var parent = new ParentThread();
            var thread = new Thread(() =>
            {
                try
                {
                    process.Start();
                    parent._started.SetResult();
                }
                catch (Win32Exception ex)
                {
                    parent._started.SetException(new SandboxFailureException($"Could not start {program}: {ex.Message}", ex));
                    return;
                }

                parent._done.Wait();
            })
            {
                IsBackground = true,
                Name = "sandbox job parent",
            };
            thread.Start();
            return parent;
        }

        public void Dispose()
        {
            _done.Set();
        }
    }
}
