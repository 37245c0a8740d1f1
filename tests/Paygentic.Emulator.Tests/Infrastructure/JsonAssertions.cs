using System.Net;
using System.Text.Json.Nodes;

namespace Paygentic.Emulator.Tests.Infrastructure;

public static class JsonAssertions
{
    /// <summary>A 400 Error body with the given business code.</summary>
    public static void ShouldBeError(this (HttpStatusCode Status, JsonNode Body) response, HttpStatusCode status, string? code = null)
    {
        response.Status.Should().Be(status, response.Body.ToJsonString());
        ((string?)response.Body["message"]).Should().NotBeNullOrEmpty();
        if (code is not null)
        {
            ((string?)response.Body["code"]).Should().Be(code);
        }
    }

    /// <summary>A 400 ValidationError naming the field.</summary>
    public static void ShouldBeValidationError(this (HttpStatusCode Status, JsonNode Body) response, string field)
    {
        response.Status.Should().Be(HttpStatusCode.BadRequest, response.Body.ToJsonString());
        ((string?)response.Body["error"]).Should().Be("validation_error");
        ((string?)response.Body["message"]).Should().NotBeNullOrEmpty();
        response.Body["errors"]!.AsArray().Select(e => (string?)e!["field"]).Should().Contain(field);
    }
}
