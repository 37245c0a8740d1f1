namespace Paygentic.Emulator.Http;

/// <summary>Offset paging over an already filtered list.</summary>
internal static class Paging
{
    public static (List<T> Page, Pagination Pagination) Slice<T>(IReadOnlyList<T> items, int limit, int offset)
    {
        var page = new List<T>(Math.Min(limit, Math.Max(0, items.Count - offset)));
        for (var i = offset; i < items.Count && page.Count < limit; i++)
        {
            page.Add(items[i]);
        }

        return (page, new Pagination(limit, offset, items.Count));
    }
}
