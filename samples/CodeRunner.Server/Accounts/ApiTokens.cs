using System.Security.Cryptography;
using System.Text;

namespace CodeRunner.Server.Accounts;

/// <summary>
/// User tokens: 256 random bits, shown once. Only their SHA-256 is stored; a fast hash is enough because the token
/// is random (nothing to guess from a dictionary), unlike a password.
/// </summary>
internal static class ApiTokens
{
    public const string Prefix = "crk_";

    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
