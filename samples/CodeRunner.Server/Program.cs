using CodeRunner.Server.Configuration;
using CodeRunner.Server.Hosting;

// CodeRunner.Server: a Judge0-compatible code-execution API, billed per submission through Paygentic. See README.md.
ServerSettings settings;
List<string> hostArgs;
try
{
    IConfiguration environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    settings = ServerSettings.From(environment, args, out hostArgs);
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync("error: " + e.Message);
    await Console.Error.WriteLineAsync("usage: CodeRunner.Server [--billing legacy|standard|off] [--data DIR] [--workers N] [--no-demo] [--unsafe-no-sandbox] [--urls URL]");
    return 2;
}

ServerHost host;
try
{
    host = await ServerHost.StartAsync(settings, [.. hostArgs], CancellationToken.None);
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync("error: " + e.Message);
    return 2;
}

await using (host)
{
    string url = host.Url.ToString().TrimEnd('/');
    Console.WriteLine($"CodeRunner.Server listening on {url} (billing: {settings.Billing.ToString().ToLowerInvariant()}, {host.Backend.Describe()})");
    Console.WriteLine($"Data: {host.DataDirectory}");
    if (host.DemoToken is { } token)
    {
        Console.WriteLine($"Demo token (shown once): {token}");
        Console.WriteLine("Try:");
        Console.WriteLine($"  curl -s {url}/languages -H 'X-Auth-Token: {token}'");
        Console.WriteLine($"  curl -s -X POST '{url}/submissions?base64_encoded=false&wait=true&fields=*' -H 'X-Auth-Token: {token}' \\");
        Console.WriteLine("       -H 'Content-Type: application/json' -d '{\"language_id\":71,\"source_code\":\"print(6*7)\"}'");
        Console.WriteLine($"  curl -s {url}/account -H 'X-Auth-Token: {token}'");
        Console.WriteLine($"  open {url}/ in a browser (paste the token)");
    }

    await host.App.WaitForShutdownAsync();
}

return 0;
