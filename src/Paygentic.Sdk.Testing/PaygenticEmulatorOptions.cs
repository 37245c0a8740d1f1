using Microsoft.AspNetCore.Builder;

namespace Paygentic.Sdk.Testing;

/// <summary>How a <see cref="PaygenticEmulator"/> starts: transport, seed, payment behaviour, clock and faults.</summary>
public sealed class PaygenticEmulatorOptions
{
    /// <summary>The demo merchant's API key in the default seed.</summary>
    public const string DefaultApiKey = "sk_test_emulator";

    /// <summary>The demo merchant's id in the default seed.</summary>
    public const string DemoMerchantId = "org_demo";

    /// <summary>
    /// Null (the default): in-process, no sockets — only clients made by the emulator (or wired to it with
    /// <c>AddPaygentic(emulator)</c>) reach it. A number: a real Kestrel server on 127.0.0.1 at that port (0: a free
    /// port the kernel picks), for code that needs a URL — another process, another language.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>
    /// The API key of the first (demo) merchant. Default <see cref="DefaultApiKey"/>; null keeps the key written in the
    /// seed file.
    /// </summary>
    public string? ApiKey { get; set; } = DefaultApiKey;

    /// <summary>Path of a seed JSON file (format in the emulator's documentation); null: the default seed.</summary>
    public string? SeedPath { get; set; }

    /// <summary>Pay subscriptions' checkout at once on create (status <c>active</c>, payment <c>paid</c>).</summary>
    public bool AutoPay { get; set; }

    /// <summary>The emulator's clock (e.g. a <c>FakeTimeProvider</c>) for timestamps, expiries and injected delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How long a legacy reservation holds funds. Default 1 hour.</summary>
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Fault injection from the start (off by default); <see cref="PaygenticEmulator.SetFaultsAsync"/> changes it later.</summary>
    public EmulatorFaults Faults { get; set; } = new();

    /// <summary>
    /// Leave the <c>code</c> field out of error bodies, for clients that refuse error codes they do not know. Off by
    /// default: errors carry Paygentic's codes.
    /// </summary>
    public bool OmitErrorCodes { get; set; }

    /// <summary>The emulator's own tests: last say over the host builder.</summary>
    internal Action<WebApplicationBuilder>? ConfigureHost { get; set; }
}
