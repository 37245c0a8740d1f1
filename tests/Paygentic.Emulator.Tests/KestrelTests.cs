using System.Net;
using Paygentic.Emulator.Tests.Infrastructure;

namespace Paygentic.Emulator.Tests;

/// <summary>Over a real socket on 127.0.0.1 (port 0), where a dropped connection is a dropped connection.</summary>
public sealed class KestrelTests
{
    [Fact]
    public async Task An_abort_after_the_charge_loses_the_answer_but_a_retry_with_the_same_key_gets_the_same_event()
    {
        await using var emulator = await TestEmulator.StartAsync(kestrel: true);
        emulator.Address!.Host.Should().Be("127.0.0.1");
        emulator.Address.Port.Should().BeGreaterThan(0);
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");
        await emulator.PostAsync("/_emulator/faults", new { abortAfterRate = 1.0, pathPrefix = "/v0/usage" });

        await FluentActions.Awaiting(() => emulator.UsageAsync(customer, "exactly-once")).Should().ThrowAsync<HttpRequestException>();

        var ledger = await emulator.LedgerAsync(customer);
        ((int)ledger["counts"]!["charges"]!).Should().Be(1, "the charge was applied before the connection dropped");
        var chargedId = (string)ledger["charges"]![0]!["usageId"]!;

        using var off = await emulator.Client.DeleteAsync("/_emulator/faults");
        var retry = await emulator.UsageAsync(customer, "exactly-once");

        retry.Status.Should().Be(HttpStatusCode.Created);
        ((string)retry.Body["id"]!).Should().Be(chargedId);
        var after = await emulator.LedgerAsync(customer);
        ((int)after["counts"]!["charges"]!).Should().Be(1);
        ((long)after["balance"]!).Should().Be(Nanos.Usd(1) - 10_000_000);
    }

    [Fact]
    public async Task An_abort_before_processing_charges_nothing()
    {
        await using var emulator = await TestEmulator.StartAsync(kestrel: true);
        var (customer, _) = await emulator.FundedCustomerAsync("1.00");
        await emulator.PostAsync("/_emulator/faults", new { abortBeforeRate = 1.0 });

        await FluentActions.Awaiting(() => emulator.UsageAsync(customer, "never")).Should().ThrowAsync<HttpRequestException>();

        ((int)(await emulator.LedgerAsync(customer))["counts"]!["charges"]!).Should().Be(0);
    }
}
