namespace CodeRunner.Tests.Infrastructure;

/// <summary>Judge0 language ids, for readable attributes.</summary>
internal static class Judge0Languages
{
    public const int Python = 71;
    public const int JavaScript = 63;
    public const int Bash = 46;
    public const int C = 50;
    public const int Cpp = 54;
}
