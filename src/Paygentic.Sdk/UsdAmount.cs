namespace Paygentic.Sdk;

/// <summary>Checks decimal-USD amounts before they are sent: the API takes at most 9 decimal places.</summary>
internal static class UsdAmount
{
    public static void Validate(decimal amount, string name)
    {
        if (amount < 0)
        {
            throw new ArgumentOutOfRangeException(name, amount, $"{name} must not be negative.");
        }

        if (decimal.Round(amount, 9) != amount)
        {
            throw new ArgumentOutOfRangeException(name, amount, $"{name} may have at most 9 decimal places.");
        }
    }
}
