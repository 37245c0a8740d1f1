using CodeRunner.Sandbox;
using CodeRunner.Server.Accounts;
using CodeRunner.Server.Configuration;
using CodeRunner.Server.Storage;

namespace CodeRunner.Server.Hosting;

/// <summary>
/// A running server: the sandbox, the Paygentic backend (embedded emulator or external), the web application and the
/// demo token. Program.cs prints it; tests start it in-process.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly string? _temporaryData;

    private ServerHost(WebApplication app, PaygenticBackend backend, ServerSettings settings, string dataDirectory, string? temporaryData, string? demoToken)
    {
        App = app;
        Backend = backend;
        Settings = settings;
        DataDirectory = dataDirectory;
        _temporaryData = temporaryData;
        DemoToken = demoToken;
        Url = ServerApp.Address(app);
    }

    public WebApplication App { get; }

    public PaygenticBackend Backend { get; }

    public ServerSettings Settings { get; }

    public string DataDirectory { get; }

    public Uri Url { get; }

    public string? DemoToken { get; }

    /// <exception cref="InvalidOperationException">No sandbox can run untrusted code here.</exception>
    public static async Task<ServerHost> StartAsync(ServerSettings settings, string[] hostArgs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        SandboxExecutor sandbox = await SandboxExecutor.CreateAsync(new SandboxOptions { AllowUnsandboxed = settings.AllowUnsandboxed }, cancellationToken).ConfigureAwait(false);
        if (sandbox.Environment.Isolation == IsolationLevel.Unavailable)
        {
            throw new InvalidOperationException(
                $"No sandbox to run untrusted code in: {string.Join("; ", sandbox.Environment.ProbeNotes)}. {SandboxEnvironment.InstallHint}.");
        }

        PaygenticBackend backend = await PaygenticBackend.StartAsync(settings, cancellationToken).ConfigureAwait(false);
        // The embedded emulator forgets everything when this process ends, so its accounts must not outlive it either.
        string? temporary = settings.DataDirectory is null && backend.IsEmbedded ? Directory.CreateTempSubdirectory("coderunner-server-").FullName : null;
        string data = settings.DataDirectory ?? temporary ?? Path.GetFullPath("coderunner-server-data");
        WebApplication app;
        try
        {
            app = ServerApp.Build(settings, backend, sandbox, data, hostArgs);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        string? demo = settings.CreateDemoAccount
            ? await DemoAccount.EnsureAsync(app.Services.GetRequiredService<AccountService>(), app.Services.GetRequiredService<AccountStore>(), cancellationToken).ConfigureAwait(false)
            : null;
        return new ServerHost(app, backend, settings, data, temporary, demo);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        await Backend.DisposeAsync().ConfigureAwait(false);
        if (_temporaryData is not null)
        {
            try
            {
                Directory.Delete(_temporaryData, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary directory is harmless.
            }
        }
    }
}
