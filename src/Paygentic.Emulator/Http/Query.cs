using System.Globalization;

namespace Paygentic.Emulator.Http;

/// <summary>Query-string parsing that reports the offending parameter instead of throwing.</summary>
internal static class Query
{
    public static string? Text(HttpContext context, string name)
    {
        var value = context.Request.Query[name];
        return value.Count == 0 || string.IsNullOrEmpty(value[0]) ? null : value[0];
    }

    /// <summary>limit (1..100, default 10) and offset (≥ 0, default 0); an Answer when either is invalid.</summary>
    public static (int Limit, int Offset, Answer? Problem) Paging(HttpContext context)
    {
        var limit = 10;
        var offset = 0;
        if (Text(context, "limit") is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return (0, 0, Answer.Validation("limit", "must be an integer from 1 to 100", "OUT_OF_RANGE"));
        }

        if (Text(context, "offset") is { } o && !int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return (0, 0, Answer.Validation("offset", "must be an integer of at least 0", "OUT_OF_RANGE"));
        }

        return (limit, offset, null);
    }

    /// <summary>An RFC 3339 date-time parameter; <paramref name="problem"/> is set when present but invalid.</summary>
    public static DateTimeOffset? DateTime(HttpContext context, string name, out Answer? problem)
    {
        problem = null;
        if (Text(context, name) is not { } text)
        {
            return null;
        }

        if (Rfc3339.TryParse(text, out var value))
        {
            return value;
        }

        problem = Answer.Validation(name, "must be an RFC 3339 date-time", "INVALID_DATE_TIME");
        return null;
    }

    public static string RouteId(HttpContext context, string name = "id") => context.Request.RouteValues[name] as string ?? "";

    /// <summary>The emulator's own base URL as the client reached it, for links it hands out.</summary>
    public static string BaseUrl(HttpContext context) =>
        context.Request.Scheme + "://" + context.Request.Host.Value + context.Request.PathBase.Value;
}
