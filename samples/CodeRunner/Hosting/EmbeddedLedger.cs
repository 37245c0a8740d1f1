using System.Text.Json.Nodes;
using Paygentic.Sdk;

namespace CodeRunner.Hosting;

/// <summary>
/// Reads the emulator's admin ledger (<c>GET /_emulator/ledger/{customerId}</c>). It is not part of Paygentic's API,
/// which is why only the embedded emulator gets one.
/// </summary>
internal sealed class EmulatorLedger(Uri baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };

    public async Task<LedgerSnapshot> ReadAsync(string customerId, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri("/_emulator/ledger/" + Uri.EscapeDataString(customerId), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        JsonNode ledger = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))
            ?? throw new InvalidOperationException("The emulator returned an empty ledger.");
        var charges = new Dictionary<string, Nanodollars>(StringComparer.Ordinal);
        foreach (JsonNode? charge in ledger["charges"]?.AsArray() ?? [])
        {
            charges[(string)charge!["idempotencyKey"]!] = new Nanodollars((long)charge["amount"]!);
        }

        return new LedgerSnapshot(
            Prefunds: new Nanodollars((long)ledger["prefunds"]!),
            Balance: new Nanodollars((long)ledger["balance"]!),
            Held: new Nanodollars((long)ledger["held"]!),
            Charged: new Nanodollars((long)ledger["charged"]!),
            ChargesByKey: charges,
            InvariantHolds: (bool)ledger["invariant"]!["holds"]!);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One customer's wallet as the emulator's ledger shows it (amounts in nanodollars, exact).</summary>
internal sealed record LedgerSnapshot(
    Nanodollars Prefunds,
    Nanodollars Balance,
    Nanodollars Held,
    Nanodollars Charged,
    IReadOnlyDictionary<string, Nanodollars> ChargesByKey,
    bool InvariantHolds);
