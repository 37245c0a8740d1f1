using System.Text.Json;
using CodeRunner.Server.Judge0;

namespace CodeRunner.Server.Accounts;

/// <summary>The body of <c>POST /accounts</c>: <c>name</c>, <c>email</c> and an optional <c>address</c>.</summary>
internal sealed record SignUpRequest(string Name, string Email, string Country, string? State, string? ZipCode, string? City, string? Line1)
{
    /// <summary>Parses and validates; errors are Judge0-shaped (<c>{"field":["message"]}</c>).</summary>
    public static SignUpRequest? Parse(JsonElement body, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("base", "the body must be a JSON object");
            return null;
        }

        string? name = Text(body, "name");
        string? email = Text(body, "email");
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("name", "can't be blank");
        }
        else if (name.Length > 200)
        {
            errors.Add("name", "is too long (maximum is 200 characters)");
        }

        if (string.IsNullOrWhiteSpace(email))
        {
            errors.Add("email", "can't be blank");
        }
        else if (email.Length > 254 || email.IndexOf('@', StringComparison.Ordinal) is <= 0 || email.EndsWith('@') || email.Any(char.IsWhiteSpace))
        {
            errors.Add("email", "is invalid");
        }

        JsonElement address = body.TryGetProperty("address", out JsonElement a) && a.ValueKind == JsonValueKind.Object ? a : default;
        string country = (address.ValueKind == JsonValueKind.Object ? Text(address, "country") : null) ?? "US";
        if (country.Length != 2 || !country.All(char.IsAsciiLetter))
        {
            errors.Add("address.country", "must be a two-letter ISO 3166-1 code");
        }

        if (errors.Any)
        {
            return null;
        }

        string? Field(string key) => address.ValueKind == JsonValueKind.Object ? Text(address, key) : null;
        return new SignUpRequest(name!.Trim(), email!.Trim(), country.ToUpperInvariant(), Field("state"), Field("zip_code") ?? Field("zipCode"), Field("city"), Field("line1"));
    }

    private static string? Text(JsonElement element, string key) =>
        element.TryGetProperty(key, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
