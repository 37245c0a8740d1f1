using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Paygentic.Sdk.Json;

namespace Paygentic.Sdk;

/// <summary>One page of an offset-paged list.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class Page<T>
{
    /// <summary>Creates a page.</summary>
    /// <param name="data">The items on this page.</param>
    /// <param name="limit">The page size that was asked for (as the server reports it).</param>
    /// <param name="offset">How many items were skipped before this page.</param>
    /// <param name="total">How many items the whole list has, when the server says.</param>
    public Page(IReadOnlyList<T> data, int limit, int offset, int? total)
    {
        Data = data ?? [];
        Limit = limit;
        Offset = offset;
        Total = total;
    }

    /// <summary>The items on this page.</summary>
    public IReadOnlyList<T> Data { get; }

    /// <summary>The page size.</summary>
    public int Limit { get; }

    /// <summary>How many items precede this page.</summary>
    public int Offset { get; }

    /// <summary>The size of the whole list, when the server reports it.</summary>
    public int? Total { get; }

    /// <summary>Whether another page follows: stops at an empty page or once <c>offset + count ≥ total</c>.</summary>
    public bool HasMore => Data.Count > 0 && (Total is not { } total || Offset + Data.Count < total);
}

/// <summary>Walks an offset-paged list page by page as an async stream.</summary>
internal static class Pager
{
    public static async IAsyncEnumerable<T> EnumerateAsync<T>(
        Func<int, CancellationToken, Task<Page<T>>> fetchPage,
        int startOffset,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var offset = startOffset;
        while (true)
        {
            var page = await fetchPage(offset, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Data)
            {
                yield return item;
            }

            if (!page.HasMore)
            {
                yield break;
            }

            offset = page.Offset + page.Data.Count;
        }
    }
}

/// <summary>The <c>pagination</c> object of a list response (fields optional in the 2026-04-18 spec).</summary>
internal sealed class OffsetPagination
{
    public decimal? Limit { get; set; }

    public decimal? Offset { get; set; }

    public decimal? Total { get; set; }
}

/// <summary>The envelope of every list response: <c>{object, data, pagination}</c>.</summary>
internal sealed class ListEnvelope<T> : ICheckedAnswer
{
    [JsonRequired]
    public List<T>? Data { get; set; }

    public string? MissingMember => Data is null ? "data" : null;

    public OffsetPagination? Pagination { get; set; }

    public Page<T> ToPage(int requestedLimit, int requestedOffset)
    {
        var data = Data ?? [];
        var limit = Pagination?.Limit is { } l ? (int)l : requestedLimit;
        var offset = Pagination?.Offset is { } o ? (int)o : requestedOffset;
        var total = Pagination?.Total is { } t ? (int?)t : null;
        return new Page<T>(data, limit, offset, total);
    }
}
