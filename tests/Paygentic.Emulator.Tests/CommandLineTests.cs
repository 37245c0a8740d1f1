using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Paygentic.Emulator.Tests;

/// <summary>The real executable: prints its URL, key and merchant, binds loopback, honours its switches, and stops cleanly on SIGTERM.</summary>
public sealed partial class CommandLineTests
{
    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    [Fact]
    public async Task Starts_on_port_zero_prints_its_facts_and_stops_on_sigterm()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Paygentic.Emulator.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0", "--api-key", "sk_cli", "--omit-error-codes"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            var lines = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!lines.Any(l => l.StartsWith("Merchant id:", StringComparison.Ordinal)))
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("emulator exited: " + await process.StandardError.ReadToEndAsync());
                lines.Add(line);
            }

            var url = ListeningLine().Match(string.Join('\n', lines)).Groups[1].Value;
            url.Should().NotBeNullOrEmpty(string.Join('\n', lines));
            lines.Should().Contain("API key: sk_cli").And.Contain("Merchant id: org_demo");
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            using var health = await client.GetAsync("/_emulator/health");
            health.StatusCode.Should().Be(HttpStatusCode.OK);
            using var missing = new HttpRequestMessage(HttpMethod.Get, "/v0/subscriptions/sub_missing") { Headers = { { "Authorization", "Bearer sk_cli" } } };
            using var notFound = await client.SendAsync(missing);
            notFound.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await notFound.Content.ReadAsStringAsync()).Should().NotContain("\"code\"", "--omit-error-codes leaves codes out");

            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            process.ExitCode.Should().Be(0);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
