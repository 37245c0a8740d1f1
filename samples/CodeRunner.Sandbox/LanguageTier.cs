namespace CodeRunner.Sandbox;

/// <summary>
/// Price tier of a language. The sandbox only exposes it; the billing layer maps each tier to its own metric.
/// </summary>
public enum LanguageTier
{
    /// <summary>Interpreted languages (Python 71, JavaScript 63, Bash 46): no compile step.</summary>
    Basic,

    /// <summary>Compiled languages (C 50, C++ 54): a compile step runs first, in the same sandbox.</summary>
    Premium,
}
