using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Paygentic.Sdk;

/// <summary>Argument checks that run before any network call, with messages a caller can act on.</summary>
internal static class Guard
{
    public static string NotBlank([NotNull] string? value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{name} must not be null or blank.", name);
        }

        return value;
    }

    public static T NotNull<T>([NotNull] T? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where T : class =>
        value ?? throw new ArgumentNullException(name);

    /// <summary>Resolves a request's merchant id from the call or the options; one of them must give it.</summary>
    public static string Merchant(string? fromRequest, string? fromOptions, string parameterName) =>
        !string.IsNullOrWhiteSpace(fromRequest) ? fromRequest
        : !string.IsNullOrWhiteSpace(fromOptions) ? fromOptions
        : throw new ArgumentException(
            $"{parameterName} is required: set it on the request or set PaygenticOptions.MerchantId (PAYGENTIC_MERCHANT_ID).",
            parameterName);
}
