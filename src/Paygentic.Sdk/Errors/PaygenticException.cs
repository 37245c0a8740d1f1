namespace Paygentic.Sdk;

/// <summary>The base of every exception the Paygentic SDK throws for a failed call.</summary>
public class PaygenticException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public PaygenticException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PaygenticException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PaygenticException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The request may not have reached Paygentic, or its answer was lost: a connection failure, a reset, or an open
/// circuit breaker. For idempotent operations the SDK already retried; what is left is for the caller to decide.
/// </summary>
public class PaygenticTransportException : PaygenticException
{
    /// <summary>Creates a transport exception.</summary>
    public PaygenticTransportException()
    {
    }

    /// <summary>Creates a transport exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PaygenticTransportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a transport exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PaygenticTransportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Paygentic has failed too often recently, so the circuit breaker is refusing calls for a short while without
/// sending them (the request certainly did not reach the server).
/// </summary>
public class PaygenticCircuitOpenException : PaygenticTransportException
{
    /// <summary>Creates the exception.</summary>
    public PaygenticCircuitOpenException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PaygenticCircuitOpenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PaygenticCircuitOpenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A call did not complete within the configured per-attempt or total timeout (and the caller did not cancel it).
/// </summary>
public class PaygenticTimeoutException : PaygenticException
{
    /// <summary>Creates a timeout exception.</summary>
    public PaygenticTimeoutException()
    {
    }

    /// <summary>Creates a timeout exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PaygenticTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a timeout exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PaygenticTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// An answer from Paygentic was larger than <see cref="PaygenticOptions.MaxResponseBodyBytes"/> once inflated (a huge
/// or endless body, or a compressed one that inflates without bound), so the SDK stopped reading it. It is never
/// retried: an answer like that is a broken or hostile server (or something in between), and asking again would only
/// read the same flood again. The request itself may have been processed.
/// </summary>
public class PaygenticResponseTooLargeException : PaygenticTransportException
{
    /// <summary>Creates the exception.</summary>
    public PaygenticResponseTooLargeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PaygenticResponseTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PaygenticResponseTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
