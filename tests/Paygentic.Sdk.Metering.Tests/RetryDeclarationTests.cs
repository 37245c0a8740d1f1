using System.Reflection;
using Paygentic.Sdk.Http;
using Refit;

namespace Paygentic.Sdk.Metering.Tests;

/// <summary>Every operation declares how far it may be retried, where it is defined (its Refit method).</summary>
public sealed class RetryDeclarationTests
{
    private static readonly string[] Declarations = [RetryDeclaration.Safe, RetryDeclaration.NotProcessedOnly, RetryDeclaration.Never];

    public static TheoryData<string> RefitMethods()
    {
        var data = new TheoryData<string>();
        foreach (var method in RefitInterfaces().SelectMany(t => t.GetMethods()))
        {
            data.Add(method.DeclaringType!.Name + "." + method.Name);
        }

        return data;
    }

    [Fact]
    public void The_sdk_has_refit_methods_to_check() => RefitMethods().Should().HaveCountGreaterThan(15);

    [Theory]
    [MemberData(nameof(RefitMethods))]
    public void Each_refit_method_declares_exactly_one_retry_class(string name)
    {
        var method = RefitInterfaces().SelectMany(t => t.GetMethods()).Single(m => m.DeclaringType!.Name + "." + m.Name == name);
        method.GetCustomAttribute<HttpMethodAttribute>().Should().NotBeNull();
        var headers = method.GetCustomAttributes<HeadersAttribute>().SelectMany(h => h.Headers).ToList();
        headers.Count(h => Declarations.Contains(h)).Should().Be(1, $"{name} must say whether a repeat could charge twice: [Headers(RetryDeclaration.…)]");
    }

    [Theory]
    [InlineData("Safe", false, "Safe")]
    [InlineData("NotProcessedOnly", true, "NotProcessedOnly")]
    [InlineData("Never", false, "Never")]
    [InlineData("Never", true, "Safe")]
    public void The_handler_takes_the_declaration_off_the_request(string declared, bool optIn, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://x/v0/anything");
        request.Headers.TryAddWithoutValidation(RetryDeclaration.HeaderName, declared);

        RetryDeclaration.Take(request, optIn).ToString().Should().Be(expected);
        request.Headers.Contains(RetryDeclaration.HeaderName).Should().BeFalse("the declaration is not sent");
    }

    [Fact]
    public void An_undeclared_request_is_retried_only_for_the_safe_verbs()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "http://x/v0/usage");
        using var post = new HttpRequestMessage(HttpMethod.Post, "http://x/v0/usage");
        RetryDeclaration.Take(get, false).Should().Be(RetryClass.Safe);
        RetryDeclaration.Take(post, false).Should().Be(RetryClass.Never);
    }

    private static IEnumerable<Type> RefitInterfaces() =>
        typeof(PaygenticClient).Assembly.GetTypes()
            .Where(t => t.IsInterface && t.GetMethods().Any(m => m.GetCustomAttribute<HttpMethodAttribute>() is not null));
}
