using System.Text.RegularExpressions;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// Validates and quotes the configurable schema name. It is spliced into SQL text (identifiers cannot be parameters),
/// so only a plain lower-case identifier is accepted, and it is quoted anyway so a reserved word still works.
/// </summary>
internal static partial class SchemaName
{
    public static void Validate(string? schema)
    {
        if (schema is null || !Identifier().IsMatch(schema) || schema.StartsWith("pg_", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The schema name '{schema}' is not accepted: use 1-63 lower-case letters, digits and underscores, starting with a letter or underscore, not starting with pg_.",
                nameof(schema));
        }
    }

    /// <summary>The quoted identifier, e.g. <c>"paygentic_outbox"</c>.</summary>
    public static string Quote(string schema)
    {
        Validate(schema);
        return "\"" + schema + "\"";
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();
}
