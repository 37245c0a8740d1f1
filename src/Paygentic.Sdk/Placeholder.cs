namespace Paygentic.Sdk;

internal static class Placeholder
{
}
