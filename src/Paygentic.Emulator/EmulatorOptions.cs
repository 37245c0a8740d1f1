using Paygentic.Emulator.Faults;
using Paygentic.Emulator.Seed;

namespace Paygentic.Emulator;

/// <summary>How an emulator instance starts: its seed, demo key, payment behaviour, clock and faults.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The demo merchant's API key in the default seed.</summary>
    public const string DefaultApiKey = "sk_test_emulator";

    /// <summary>The demo merchant's id in the default seed.</summary>
    public const string DemoMerchantId = "org_demo";

    /// <summary>The address the command line binds when no <c>--urls</c> is given (loopback only).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The API key of the first (demo) merchant of the seed. Default <see cref="DefaultApiKey"/>; null keeps the key
    /// written in the seed.
    /// </summary>
    public string? ApiKey { get; set; } = DefaultApiKey;

    /// <summary>The seed as an object; wins over <see cref="SeedPath"/>. Null: the embedded default seed.</summary>
    public EmulatorSeed? Seed { get; set; }

    /// <summary>Path of a seed JSON file (format in docs/emulator.md), used when <see cref="Seed"/> is null.</summary>
    public string? SeedPath { get; set; }

    /// <summary>Pay subscriptions' checkout at once on create (status <c>active</c>, payment <c>paid</c>).</summary>
    public bool AutoPay { get; set; }

    /// <summary>Fault injection at start (off by default); the admin API can change it later.</summary>
    public FaultSettings Faults { get; set; } = new();

    /// <summary>The clock for timestamps, reservation and portal-link expiry, and injected delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Leave the <c>code</c> field out of every error body (and of each validation error item). Off by default:
    /// the newer API writes codes, but a client generated from the 2026-04-18 description, whose <c>Error</c> has no
    /// <c>code</c>, may refuse a body carrying one.
    /// </summary>
    public bool OmitErrorCodes { get; set; }

    /// <summary>How long a legacy reservation (<c>POST /v0/entitlements</c>) holds funds. Default 1 hour.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromHours(1);
}
