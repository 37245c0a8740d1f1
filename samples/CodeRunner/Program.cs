using CodeRunner;
using CodeRunner.Cli;
using CodeRunner.Configuration;
using CodeRunner.Execution;
using CodeRunner.Hosting;
using CodeRunner.Reporting;
using CodeRunner.Sandbox;
using Microsoft.Extensions.Configuration;
using Paygentic.Sdk;

// CodeRunner: a Judge0-style code-execution service, metered with Paygentic. See README.md.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop cleanly: running jobs are killed and their authorizations cancelled
    cancellation.Cancel();
};

RunArguments arguments;
SampleSettings settings;
ServerSettings? external;
try
{
    arguments = RunArguments.Parse(args);
    IConfiguration configuration = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();
    settings = SampleSettings.From(configuration);
    external = ServerSettings.From(configuration);
}
catch (Exception ex) when (ex is UsageException or FormatException)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}\n\n{RunArguments.Usage}");
    return ExitCodes.Usage;
}

if (arguments.ShowHelp)
{
    Console.WriteLine(RunArguments.Usage);
    return ExitCodes.Success;
}

if (arguments.ListBuiltIn)
{
    foreach (CatalogueEntry entry in SubmissionCatalogue.All)
    {
        Console.WriteLine($"{entry.Name,-26} {entry.Description}");
    }

    return ExitCodes.Success;
}

SandboxExecutor sandbox = await SandboxExecutor.CreateAsync(
    new SandboxOptions { AllowUnsandboxed = arguments.AllowUnsandboxed }, cancellation.Token);
if (sandbox.Environment.Isolation == IsolationLevel.Unavailable)
{
    await Console.Error.WriteLineAsync(
        $"error: no sandbox to run untrusted code in: {string.Join("; ", sandbox.Environment.ProbeNotes)}.\n" +
        $"CodeRunner runs submissions inside bubblewrap: {SandboxEnvironment.InstallHint}. " +
        "To run without isolation anyway (never for untrusted code), pass --unsafe-no-sandbox.");
    return ExitCodes.Usage;
}

Console.WriteLine($"Sandbox isolation: {sandbox.Environment.Isolation} — {sandbox.Environment.IsolationDescription}");
Console.WriteLine($"Languages: {string.Join(", ", sandbox.Environment.Languages.Available)}");

IReadOnlyList<SubmissionJob> jobs;
try
{
    jobs = SubmissionSources.Build(arguments, sandbox.Environment.Languages);
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync("error: " + ex.Message);
    return ExitCodes.Usage;
}

try
{
    await using BillingServer server = external is null
        ? await BillingServer.StartEmbeddedAsync(cancellation.Token)
        : BillingServer.External(external);
    Console.WriteLine($"Billing: {arguments.Billing} via {server.Describe()}");

    var flow = new CodeRunnerFlow(server, settings, sandbox, Console.Out);
    RunReport report = await flow.RunAsync(arguments, jobs, cancellation.Token);
    Console.Write(ReportPrinter.Render(report, sandbox.Environment.Languages));
    return report.ExitCode;
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    // Configuration the SDK refused at start: a usage error with the message, never a stack trace.
    await Console.Error.WriteLineAsync("error: " + string.Join(Environment.NewLine + "error: ", ex.Failures));
    return ExitCodes.Usage;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("cancelled");
    return ExitCodes.BillingFailed;
}
catch (Exception ex) when (ex is PaygenticException or HttpRequestException or TimeoutException or InvalidOperationException or IOException)
{
    // The billing flow itself failed (onboarding, the server, the outbox): not something a submission did.
    await Console.Error.WriteLineAsync($"billing flow failed: {ex.GetType().Name}: {ex.Message}");
    return ExitCodes.BillingFailed;
}
