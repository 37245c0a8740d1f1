using System.Globalization;
using System.Text;

namespace CodeRunner.Reporting;

/// <summary>
/// What a submission printed, made safe to show on a terminal: cut to a few lines, and every control or formatting
/// character except newline and tab written as an escape (<c>\x1b</c>, <c>\u202e</c>), so a program cannot move the
/// cursor, recolour or reorder the report around its own output.
/// </summary>
internal static class OutputExcerpt
{
    public const int MaxChars = 2_000;

    public static string Render(string text, string indent)
    {
        ArgumentNullException.ThrowIfNull(text);
        var excerpt = new StringBuilder(indent);
        int shown = Math.Min(text.Length, MaxChars);
        for (int i = 0; i < shown; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                excerpt.Append('\n').Append(indent);
            }
            else if (c == '\t' || !IsUnsafe(c))
            {
                excerpt.Append(c);
            }
            else if (c < 0x100)
            {
                excerpt.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                excerpt.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        if (text.Length > shown)
        {
            excerpt.Append(CultureInfo.InvariantCulture, $"… ({text.Length - shown} more characters)");
        }

        return excerpt.ToString().TrimEnd(' ');
    }

    private static bool IsUnsafe(char c) => char.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
        _ => false,
    };
}
