namespace Paygentic.Sdk.Testing;

internal static class Placeholder
{
}
