using System.Text.Json.Nodes;

namespace CodeRunner.Server.Judge0;

/// <summary>Validation errors in Judge0's (Rails') shape: <c>{"field":["message", …]}</c>, answered with 422.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out List<string>? messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public JsonObject ToJson()
    {
        var body = new JsonObject();
        foreach (var (field, messages) in _errors)
        {
            body[field] = new JsonArray([.. messages.Select(m => (JsonNode)JsonValue.Create(m))]);
        }

        return body;
    }
}
