using Paygentic.Emulator.State;

namespace Paygentic.Emulator;

/// <summary>Help text and start-up facts for the command line.</summary>
internal static class CommandLine
{
    public const string Usage = """
        Paygentic emulator: a local, stateful Paygentic API for development and tests.

        usage: dotnet run --project src/Paygentic.Emulator -- [options]
          --urls URL                 where to listen (default http://127.0.0.1:5080; port 0 picks a free one)
          --seed FILE                replace the default seed (format: docs/emulator.md)
          --api-key KEY              the demo (first) merchant's API key (default sk_test_emulator)
          --auto-pay                 pay subscription checkouts at once on create
          --reservation-ttl SECONDS  how long POST /v0/entitlements holds funds (default 3600)
          --omit-error-codes         leave the `code` field out of error bodies
        faults (rates are 0..1, off by default; see also POST /_emulator/faults):
          --fault-seed N  --fault-500 R  --fault-503 R  --fault-429 R  --retry-after SECONDS
          --fault-latency R  --latency-ms MS  --fault-timeout R  --timeout-ms MS
          --fault-abort-before R  --fault-abort-after R  --fault-path PREFIX
        """;

    /// <summary>The first merchant's id and key, for the start-up banner.</summary>
    public static (string MerchantId, string ApiKey) DemoMerchant(WebApplication app)
    {
        var merchant = app.Services.GetRequiredService<EmulatorRuntime>().World.Merchants[0];
        return (merchant.Id, merchant.ApiKey);
    }
}
