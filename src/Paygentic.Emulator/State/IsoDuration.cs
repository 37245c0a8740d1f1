using System.Globalization;

namespace Paygentic.Emulator.State;

/// <summary>
/// An ISO-8601 duration such as <c>P1M</c>, <c>P7D</c> or <c>PT10M</c>. Months and years are calendar units,
/// so they are kept apart from the fixed-length part instead of being turned into a number of days.
/// </summary>
internal readonly record struct IsoDuration(int Years, int Months, TimeSpan Fixed)
{
    public bool IsPositive => Years > 0 || Months > 0 || Fixed > TimeSpan.Zero;

    public bool HasCalendarPart => Years != 0 || Months != 0;

    public static bool TryParse(string? text, out IsoDuration duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text[0] != 'P' || text.Length < 3)
        {
            return false;
        }

        int years = 0, months = 0;
        var fixedPart = TimeSpan.Zero;
        var inTime = false;
        var number = 0L;
        var digits = 0;
        try
        {
            for (var i = 1; i < text.Length; i++)
            {
                var c = text[i];
                if (c == 'T' && !inTime && digits == 0)
                {
                    inTime = true;
                    continue;
                }

                if (char.IsAsciiDigit(c))
                {
                    number = checked((number * 10) + (c - '0'));
                    digits++;
                    continue;
                }

                if (digits == 0)
                {
                    return false;
                }

                switch (inTime ? char.ToUpperInvariant(c) : c)
                {
                    case 'Y' when !inTime: years = checked((int)number); break;
                    case 'M' when !inTime: months = checked((int)number); break;
                    case 'W' when !inTime: fixedPart += TimeSpan.FromDays(number * 7); break;
                    case 'D' when !inTime: fixedPart += TimeSpan.FromDays(number); break;
                    case 'H' when inTime: fixedPart += TimeSpan.FromHours(number); break;
                    case 'M' when inTime: fixedPart += TimeSpan.FromMinutes(number); break;
                    case 'S' when inTime: fixedPart += TimeSpan.FromSeconds(number); break;
                    default: return false;
                }

                number = 0;
                digits = 0;
            }
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            return false;
        }

        if (digits != 0 || text[^1] == 'T')
        {
            return false;
        }

        duration = new IsoDuration(years, months, fixedPart);
        return true;
    }

    /// <summary><paramref name="start"/> plus <paramref name="times"/> of this duration, counted from the start (no drift).</summary>
    public DateTimeOffset AddTo(DateTimeOffset start, long times) =>
        start.AddYears(checked((int)(Years * times))).AddMonths(checked((int)(Months * times))).Add(Fixed * times);

    /// <summary>The period [start, end) of a series anchored at <paramref name="anchor"/> that contains <paramref name="at"/>.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) PeriodContaining(DateTimeOffset anchor, DateTimeOffset at)
    {
        if (at < anchor)
        {
            return (anchor, AddTo(anchor, 1));
        }

        long index = 0;
        if (!HasCalendarPart)
        {
            index = (at - anchor).Ticks / Fixed.Ticks;
        }
        else
        {
            // Calendar periods: jump close with an estimate, then step; months vary in length by at most 3 days.
            var approximateDays = (Years * 365.25) + (Months * 30.44) + Fixed.TotalDays;
            index = Math.Max(0, (long)((at - anchor).TotalDays / approximateDays) - 1);
            while (AddTo(anchor, index) > at && index > 0)
            {
                index--;
            }

            while (AddTo(anchor, index + 1) <= at)
            {
                index++;
            }
        }

        return (AddTo(anchor, index), AddTo(anchor, index + 1));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"P{Years}Y{Months}M{Fixed.TotalSeconds}S");
}
