using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Paygentic.Emulator;
using Paygentic.Emulator.Faults;

// The command line only turns switches into EmulatorOptions; everything else is EmulatorApp's job.
var options = new EmulatorOptions();
var hostArgs = new List<string>();
string? customKey = null;
for (var i = 0; i < args.Length; i++)
{
    var arg = args[i];
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
    double Rate() => double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture);
    int Whole() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
    switch (arg)
    {
        case "--help" or "-h":
            Console.WriteLine(CommandLine.Usage);
            return 0;
        case "--seed": options.SeedPath = Next(); break;
        case "--api-key": customKey = Next(); break;
        case "--auto-pay": options.AutoPay = true; break;
        case "--omit-error-codes": options.OmitErrorCodes = true; break;
        case "--reservation-ttl": options.ReservationTtl = TimeSpan.FromSeconds(Whole()); break;
        case "--fault-seed": options.Faults.Seed = Whole(); break;
        case "--fault-500": options.Faults.Error500Rate = Rate(); break;
        case "--fault-503": options.Faults.Error503Rate = Rate(); break;
        case "--fault-429": options.Faults.Error429Rate = Rate(); break;
        case "--retry-after": options.Faults.RetryAfterSeconds = Whole(); break;
        case "--fault-latency": options.Faults.LatencyRate = Rate(); break;
        case "--latency-ms": options.Faults.LatencyMs = Whole(); break;
        case "--fault-timeout": options.Faults.TimeoutRate = Rate(); break;
        case "--timeout-ms": options.Faults.TimeoutMs = Whole(); break;
        case "--fault-abort-before": options.Faults.AbortBeforeRate = Rate(); break;
        case "--fault-abort-after": options.Faults.AbortAfterRate = Rate(); break;
        case "--fault-path": options.Faults.PathPrefix = Next(); break;
        default: hostArgs.Add(arg); break;
    }
}

// A seed file brings its own keys; --api-key still wins for its first merchant.
options.ApiKey = customKey ?? (options.SeedPath is null ? EmulatorOptions.DefaultApiKey : null);

var app = EmulatorApp.Build(options, [.. hostArgs]);
await app.StartAsync().ConfigureAwait(false);

var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
var (merchantId, apiKey) = CommandLine.DemoMerchant(app);
foreach (var address in addresses)
{
    Console.WriteLine($"Paygentic emulator listening on {address}");
}

Console.WriteLine($"API key: {apiKey}");
Console.WriteLine($"Merchant id: {merchantId}");
Console.WriteLine("Press Ctrl+C to stop.");
await app.WaitForShutdownAsync().ConfigureAwait(false);
return 0;
