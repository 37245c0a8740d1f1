using Paygentic.Sdk;
using Paygentic.Sdk.Testing;

namespace CodeRunner.Hosting;

/// <summary>
/// The embedded emulator's ledger (its admin API, not part of Paygentic's), read through the Testing package. Only the
/// embedded emulator has one: we know it is ours and on loopback.
/// </summary>
internal sealed class EmbeddedLedger(PaygenticEmulator emulator)
{
    public async Task<LedgerSnapshot> ReadAsync(string customerId, CancellationToken cancellationToken)
    {
        EmulatorLedger ledger = await emulator.GetLedgerAsync(customerId, cancellationToken).ConfigureAwait(false);
        return new LedgerSnapshot(
            ledger.Prefunds,
            ledger.Balance,
            ledger.Held,
            ledger.Charged,
            ledger.Charges.ToDictionary(c => c.IdempotencyKey, c => c.Amount, StringComparer.Ordinal),
            ledger.InvariantHolds);
    }
}

/// <summary>One customer's wallet as the emulator's ledger shows it (amounts in nanodollars, exact).</summary>
internal sealed record LedgerSnapshot(
    Nanodollars Prefunds,
    Nanodollars Balance,
    Nanodollars Held,
    Nanodollars Charged,
    IReadOnlyDictionary<string, Nanodollars> ChargesByKey,
    bool InvariantHolds);
