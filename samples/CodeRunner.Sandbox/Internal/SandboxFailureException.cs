namespace CodeRunner.Sandbox.Internal;

/// <summary>The sandbox itself failed (not the user's code); the executor turns it into 13 Internal Error.</summary>
internal sealed class SandboxFailureException : Exception
{
    public SandboxFailureException()
    {
    }

    public SandboxFailureException(string message)
        : base(message)
    {
    }

    public SandboxFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
