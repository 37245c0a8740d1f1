using System.Globalization;

namespace CodeRunner.Reporting;

/// <summary>USD amounts as text: at least cents, every significant digit after (prices go down to $0.00001).</summary>
internal static class Money
{
    public static string Format(decimal usd) => usd.ToString("0.00#######", CultureInfo.InvariantCulture);

    /// <summary>For a table column: at least five decimals (the seed's smallest price), so the amounts line up.</summary>
    public static string Column(decimal usd) => usd.ToString("0.00000####", CultureInfo.InvariantCulture);
}
