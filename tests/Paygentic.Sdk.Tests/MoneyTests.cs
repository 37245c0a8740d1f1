using System.Text.Json;
using Paygentic.Sdk.Json;
using Paygentic.Sdk.Usage;

namespace Paygentic.Sdk.Tests;

public class MoneyTests
{
    [Theory]
    [InlineData("0.01", 10_000_000L)]
    [InlineData("200", 200_000_000_000L)]
    [InlineData("0.000000001", 1L)]
    [InlineData("9223372036.854775807", long.MaxValue)]
    public void Dollars_convert_to_nanodollars_exactly(string usd, long nanos)
    {
        var amount = Nanodollars.FromUsd(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture));

        amount.Value.Should().Be(nanos);
        amount.ToUsd().Should().Be(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void More_than_nine_decimals_or_an_overflow_is_refused()
    {
        var tooPrecise = () => Nanodollars.FromUsd(0.0000000001m);
        var tooLarge = () => Nanodollars.FromUsd(10_000_000_000m);

        tooPrecise.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*9 decimal places*");
        tooLarge.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*does not fit*");
    }

    [Fact]
    public void Arithmetic_fails_instead_of_wrapping()
    {
        var max = new Nanodollars(long.MaxValue);

        var act = () => max + new Nanodollars(1);

        act.Should().Throw<OverflowException>();
    }

    [Theory]
    [InlineData("12500000")]
    [InlineData("\"12500000\"")]
    public void Nanodollars_read_from_integers_and_digit_strings(string json)
    {
        var billing = JsonSerializer.Deserialize($$"""{"totalAmount":{{json}}}""", PaygenticJsonContext.Default.UsageEvent.Options.GetTypeInfo(typeof(UsageBilling)));

        ((UsageBilling)billing!).TotalAmount.Should().Be(new Nanodollars(12_500_000));
    }

    [Theory]
    [InlineData("\"12.5\"")]
    [InlineData("1.5")]
    [InlineData("\"\"")]
    public void Anything_else_is_not_a_nanodollar_amount(string json)
    {
        var act = () => JsonSerializer.Deserialize($$"""{"totalAmount":{{json}}}""", PaygenticJsonContext.Default.UsageEvent.Options.GetTypeInfo(typeof(UsageBilling)));

        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void Dollar_prices_are_written_as_invariant_strings_never_numbers()
    {
        var json = JsonSerializer.Serialize(new UsageProperty { BillableMetricId = "bm", Quantity = 1, Price = 1234.500000000m }, PaygenticJsonContext.Default.UsageEvent.Options.GetTypeInfo(typeof(UsageProperty)));

        json.Should().Be("""{"billableMetricId":"bm","quantity":1,"price":"1234.5"}""");
    }

    [Fact]
    public void Nanodollars_print_as_dollars_with_nine_decimals()
    {
        new Nanodollars(12_500_000).ToString().Should().Be("$0.012500000");
    }
}
