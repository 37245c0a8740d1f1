using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Paygentic.Sdk.Http;

/// <summary>
/// Derives an idempotency key from a request's content when the caller gave none. The key is fixed before the
/// first attempt and every retry resends the same body, so a retry can never be counted twice — unlike a key built
/// from the clock at each attempt.
/// </summary>
internal static class IdempotencyKeys
{
    public const string DerivedPrefix = "pgsdk_";

    public static string Derive<T>(T canonicalRequest, JsonTypeInfo<T> typeInfo)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(canonicalRequest, typeInfo);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return DerivedPrefix + Convert.ToHexStringLower(hash[..20]);
    }
}
