namespace CodeRunner.Sandbox;

internal static class Placeholder
{
}
