using System.Globalization;

namespace Paygentic.Emulator.Ledger;

/// <summary>
/// Money on the wire is decimal-USD strings or nanodollar integers; inside the emulator it is always a
/// nanodollar <see cref="long"/>. Every conversion here is exact or refuses: no floating point anywhere.
/// </summary>
internal static class Money
{
    public const long NanosPerUsd = 1_000_000_000;
    private const decimal NanosPerUsdDecimal = 1_000_000_000m;

    public enum ParseResult { Ok, Invalid, TooLarge }

    /// <summary>Parses <c>^[0-9]+(\.[0-9]{1,9})?$</c> into nanodollars.</summary>
    public static ParseResult TryParseUsd(string? text, out long nanos)
    {
        nanos = 0;
        if (!IsDecimalUsd(text))
        {
            return ParseResult.Invalid;
        }

        // Up to 28 significant digits parse exactly; anything longer cannot be a representable amount anyway.
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var usd))
        {
            return ParseResult.TooLarge;
        }

        return TryToNanos(usd, out nanos) ? ParseResult.Ok : ParseResult.TooLarge;
    }

    /// <summary>Whether the text has the decimal-USD shape the spec's price pattern allows.</summary>
    public static bool IsDecimalUsd(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? text.AsSpan() : text.AsSpan(0, dot);
        if (integerPart.IsEmpty || !AllDigits(integerPart))
        {
            return false;
        }

        if (dot < 0)
        {
            return true;
        }

        var fraction = text.AsSpan(dot + 1);
        return fraction.Length is >= 1 and <= 9 && AllDigits(fraction);
    }

    /// <summary>Exact conversion of a USD amount with at most 9 decimals; false when it does not fit a long.</summary>
    public static bool TryToNanos(decimal usd, out long nanos)
    {
        nanos = 0;
        if (usd < 0 || usd > long.MaxValue / NanosPerUsdDecimal)
        {
            return false;
        }

        var scaled = usd * NanosPerUsdDecimal;
        if (scaled != decimal.Truncate(scaled))
        {
            return false;
        }

        nanos = (long)scaled;
        return true;
    }

    /// <summary>
    /// quantity × unit price, rounded up to the next nanodollar (a fractional reservation quantity must never
    /// hold less than the usage it covers). False when the product does not fit a long.
    /// </summary>
    public static bool TryMultiplyCeiling(decimal quantity, long unitNanos, out long nanos)
    {
        nanos = 0;
        try
        {
            var product = decimal.Ceiling(quantity * unitNanos);
            if (product > long.MaxValue)
            {
                return false;
            }

            nanos = (long)product;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>Nanodollars as decimal USD with at least 2 and at most 9 decimals, e.g. <c>"0.01"</c>, <c>"0.00001"</c>.</summary>
    public static string ToUsd(long nanos) =>
        (nanos / NanosPerUsdDecimal).ToString("0.00#######", CultureInfo.InvariantCulture);

    /// <summary>Nanodollars as the digit string the spec calls "BigInt".</summary>
    public static string ToDigits(long nanos) => nanos.ToString(CultureInfo.InvariantCulture);

    private static bool AllDigits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
