using System.Globalization;
using System.Text.Json.Serialization;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk;

/// <summary>
/// An exact amount of money in nanodollars (1 USD = 1,000,000,000 nanodollars), the integer unit Paygentic uses
/// for wallet balances, reservation balances and usage billing amounts. Never a floating-point number.
/// </summary>
[JsonConverter(typeof(NanodollarsJsonConverter))]
public readonly record struct Nanodollars : IComparable<Nanodollars>
{
    /// <summary>Nanodollars in one US dollar.</summary>
    public const long PerDollar = 1_000_000_000L;

    /// <summary>Creates an amount from a raw nanodollar count.</summary>
    /// <param name="value">The amount in nanodollars.</param>
    public Nanodollars(long value) => Value = value;

    /// <summary>The amount in nanodollars.</summary>
    public long Value { get; }

    /// <summary>Zero nanodollars.</summary>
    public static Nanodollars Zero => default;

    /// <summary>The amount in US dollars, exact (nanodollars have at most 9 decimal places).</summary>
    public decimal ToUsd() => Value / (decimal)PerDollar;

    /// <summary>Converts a US-dollar amount with at most 9 decimal places to nanodollars, exactly.</summary>
    /// <param name="usd">The amount in US dollars.</param>
    /// <exception cref="ArgumentOutOfRangeException">The amount has more than 9 decimal places or does not fit.</exception>
    public static Nanodollars FromUsd(decimal usd)
    {
        var scaled = usd * PerDollar;
        if (scaled != decimal.Truncate(scaled))
        {
            throw new ArgumentOutOfRangeException(nameof(usd), usd, "A dollar amount may have at most 9 decimal places.");
        }

        if (scaled > long.MaxValue || scaled < long.MinValue)
        {
            throw new ArgumentOutOfRangeException(nameof(usd), usd, "The amount does not fit in nanodollars.");
        }

        return new Nanodollars((long)scaled);
    }

    /// <summary>Parses a nanodollar digit string such as <c>"200000000000"</c>.</summary>
    /// <param name="digits">The digits, optionally signed.</param>
    public static Nanodollars Parse(string digits) =>
        new(long.Parse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public int CompareTo(Nanodollars other) => Value.CompareTo(other.Value);

    /// <summary>Adds two amounts, failing on overflow rather than wrapping.</summary>
    public static Nanodollars operator +(Nanodollars left, Nanodollars right) => new(checked(left.Value + right.Value));

    /// <summary>Subtracts two amounts, failing on overflow rather than wrapping.</summary>
    public static Nanodollars operator -(Nanodollars left, Nanodollars right) => new(checked(left.Value - right.Value));

    /// <summary>Compares two amounts.</summary>
    public static bool operator <(Nanodollars left, Nanodollars right) => left.Value < right.Value;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >(Nanodollars left, Nanodollars right) => left.Value > right.Value;

    /// <summary>Compares two amounts.</summary>
    public static bool operator <=(Nanodollars left, Nanodollars right) => left.Value <= right.Value;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >=(Nanodollars left, Nanodollars right) => left.Value >= right.Value;

    /// <summary>Adds two amounts (same as <c>+</c>).</summary>
    public static Nanodollars Add(Nanodollars left, Nanodollars right) => left + right;

    /// <summary>Subtracts two amounts (same as <c>-</c>).</summary>
    public static Nanodollars Subtract(Nanodollars left, Nanodollars right) => left - right;

    /// <summary>The amount as US dollars with nine decimals, e.g. <c>$0.010000000</c>.</summary>
    public override string ToString() => ToUsd().ToString("$0.000000000", CultureInfo.InvariantCulture);
}
