using System.Net;
using System.Text;

namespace Paygentic.Emulator.Subscriptions;

/// <summary>The small HTML pages a person sees (checkout, portal): plain markup, everything encoded.</summary>
internal static class HtmlPage
{
    public static string Render(string title, string bodyHtml)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(title))
            .Append("</title><style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}")
            .Append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}")
            .Append("button{font-size:1.1rem;padding:.5rem 1.5rem}</style></head><body><h1>")
            .Append(Encode(title))
            .Append("</h1>")
            .Append(bodyHtml)
            .Append("<p><small>Paygentic emulator</small></p></body></html>");
        return html.ToString();
    }

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
