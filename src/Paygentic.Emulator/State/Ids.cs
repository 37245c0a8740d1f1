using System.Security.Cryptography;

namespace Paygentic.Emulator.State;

/// <summary>
/// Ids are a prefix plus <c>[A-Za-z0-9]+</c> only: a <c>-</c> or a second <c>_</c> breaks the spec's id patterns
/// as soon as a client sends the id back.
/// </summary>
internal static class Ids
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(string prefix) => prefix + "_" + RandomNumberGenerator.GetString(Alphabet, 16);

    /// <summary>Whether <paramref name="id"/> is <c>{prefix}_</c> followed by letters and digits only.</summary>
    public static bool Matches(string? id, string prefix)
    {
        if (id is null || id.Length <= prefix.Length + 1 || !id.StartsWith(prefix, StringComparison.Ordinal) || id[prefix.Length] != '_')
        {
            return false;
        }

        for (var i = prefix.Length + 1; i < id.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(id[i]))
            {
                return false;
            }
        }

        return true;
    }
}
