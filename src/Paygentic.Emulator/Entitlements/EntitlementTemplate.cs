using System.Text.Json;
using Paygentic.Emulator.Http;
using Paygentic.Emulator.State;

namespace Paygentic.Emulator.Entitlements;

/// <summary>The <c>template</c> of an issue request: boolean, static (with config) or metered (with a usage period).</summary>
internal sealed record EntitlementTemplate(
    string Type,
    JsonElement? Config,
    IsoDuration UsagePeriod,
    DateTimeOffset? Anchor,
    bool IsSoftLimit,
    decimal IssueAfterReset)
{
    public static EntitlementTemplate? Parse(JsonElement? raw, out Answer? problem)
    {
        problem = null;
        if (raw is not { ValueKind: JsonValueKind.Object } template)
        {
            problem = Answer.Validation("template", "is required and must be an object", "REQUIRED");
            return null;
        }

        var type = template.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "boolean":
                return new EntitlementTemplate("boolean", null, default, null, false, 0);
            case "static":
                if (!template.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
                {
                    problem = Answer.Validation("template.config", "is required for static templates and must be an object", "REQUIRED");
                    return null;
                }

                return new EntitlementTemplate("static", config.Clone(), default, null, false, 0);
            case "metered":
                return ParseMetered(template, out problem);
            default:
                problem = Answer.Validation("template.type", "must be boolean, static or metered", "INVALID_ENUM");
                return null;
        }
    }

    private static EntitlementTemplate? ParseMetered(JsonElement template, out Answer? problem)
    {
        problem = null;
        if (!template.TryGetProperty("usagePeriod", out var period) || period.ValueKind != JsonValueKind.Object ||
            !period.TryGetProperty("interval", out var interval) || interval.ValueKind != JsonValueKind.String ||
            !IsoDuration.TryParse(interval.GetString(), out var duration) || !duration.IsPositive)
        {
            problem = Answer.Validation("template.usagePeriod.interval", "is required: an ISO-8601 duration such as P1M", "REQUIRED");
            return null;
        }

        DateTimeOffset? anchor = null;
        if (period.TryGetProperty("anchor", out var anchorElement))
        {
            if (anchorElement.ValueKind != JsonValueKind.String || !anchorElement.TryGetDateTimeOffset(out var parsed))
            {
                problem = Answer.Validation("template.usagePeriod.anchor", "must be a date-time", "INVALID_DATE_TIME");
                return null;
            }

            anchor = parsed;
        }

        var soft = template.TryGetProperty("isSoftLimit", out var s) && s.ValueKind == JsonValueKind.True;
        decimal issue = 0;
        if (template.TryGetProperty("issueAfterReset", out var i) && (i.ValueKind != JsonValueKind.Number || !i.TryGetDecimal(out issue) || issue < 0))
        {
            problem = Answer.Validation("template.issueAfterReset", "must be a number of at least 0", "OUT_OF_RANGE");
            return null;
        }

        return new EntitlementTemplate("metered", null, duration, anchor, soft, issue);
    }
}
