namespace Paygentic.Sdk;

/// <summary>The outbox cannot be opened or written: corrupt, from a newer version, or failing storage.</summary>
public class UsageOutboxException : PaygenticException
{
    /// <summary>Creates the exception.</summary>
    public UsageOutboxException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public UsageOutboxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public UsageOutboxException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
