using System.Text.Json.Nodes;

namespace CodeRunner.Server.Tests;

/// <summary>Compares JSON by value (member order included, escaping ignored).</summary>
internal static class JsonAssert
{
    public static void Same(JsonNode? actual, string expected)
    {
        string actualText = actual?.ToJsonString() ?? "null";
        JsonNode.DeepEquals(actual, JsonNode.Parse(expected)).Should().BeTrue($"expected {expected} but got {actualText}");
        if (actual is JsonObject actualObject && JsonNode.Parse(expected) is JsonObject expectedObject)
        {
            actualObject.Select(p => p.Key).Should().Equal(expectedObject.Select(p => p.Key), "members come in Judge0's order");
        }
    }
}
