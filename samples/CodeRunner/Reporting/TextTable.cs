using System.Text;

namespace CodeRunner.Reporting;

/// <summary>A plain fixed-width table: readable in any terminal and in CI logs, no escaping rules.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Columns right-aligned (numbers).</summary>
    public HashSet<int> RightAligned { get; } = [];

    public void Add(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"Expected {headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public override string ToString()
    {
        int[] widths = [.. headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max())];
        var text = new StringBuilder();
        AppendRow(text, headers, widths);
        AppendRow(text, [.. widths.Select(w => new string('-', w))], widths);
        foreach (string[] row in _rows)
        {
            AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    private void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append("  ");
            }

            text.Append(RightAligned.Contains(i) ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }

        // The last column is padded like the others; trailing blanks only get in the way of copy and paste.
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }

        text.Append('\n');
    }
}
