using Paygentic.Emulator.Ledger;

namespace Paygentic.Emulator.Tests;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("0.01", 10_000_000)]
    [InlineData("0.00001", 10_000)]
    [InlineData("200.00", 200_000_000_000)]
    [InlineData("0.000000001", 1)]
    [InlineData("9223372036.854775807", long.MaxValue)]
    public void Decimal_usd_converts_exactly(string usd, long nanos)
    {
        Money.TryParseUsd(usd, out var parsed).Should().Be(Money.ParseResult.Ok);
        parsed.Should().Be(nanos);
    }

    [Theory]
    [InlineData("1.0000000001", false)]
    [InlineData("-1", false)]
    [InlineData("1e3", false)]
    [InlineData(".5", false)]
    [InlineData("9223372036.854775808", true)]
    [InlineData("99999999999999999999999999999999", true)]
    public void Bad_or_oversized_amounts_are_refused(string usd, bool tooLarge) =>
        Money.TryParseUsd(usd, out _).Should().Be(tooLarge ? Money.ParseResult.TooLarge : Money.ParseResult.Invalid);

    [Theory]
    [InlineData(10_000_000, "0.01")]
    [InlineData(10_000, "0.00001")]
    [InlineData(25_500_000_000, "25.50")]
    [InlineData(1, "0.000000001")]
    public void Nanodollars_format_as_usd(long nanos, string usd) => Money.ToUsd(nanos).Should().Be(usd);
}
