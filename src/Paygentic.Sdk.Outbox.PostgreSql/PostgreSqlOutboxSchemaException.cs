using Paygentic.Sdk.Metering.Reporting;

namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// The outbox schema cannot be used by this build: it was migrated by a newer version (whose rows this build could
/// misread), or it cannot be created. Nothing is changed when this is thrown.
/// </summary>
public sealed class PostgreSqlOutboxSchemaException : UsageOutboxException
{
    /// <summary>Creates the exception.</summary>
    public PostgreSqlOutboxSchemaException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public PostgreSqlOutboxSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public PostgreSqlOutboxSchemaException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a schema newer than this build.</summary>
    /// <param name="schema">The schema name.</param>
    /// <param name="databaseVersion">The version found in the database.</param>
    /// <param name="supportedVersion">The newest version this build knows.</param>
    public PostgreSqlOutboxSchemaException(string schema, int databaseVersion, int supportedVersion)
        : base($"The PostgreSQL outbox schema \"{schema}\" is at version {databaseVersion}, newer than this build supports ({supportedVersion}); upgrade the SDK or use another schema.")
    {
        Schema = schema;
        DatabaseVersion = databaseVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The schema name, when known.</summary>
    public string? Schema { get; }

    /// <summary>The version found in the database (0 when not the cause).</summary>
    public int DatabaseVersion { get; }

    /// <summary>The newest version this build supports (0 when not the cause).</summary>
    public int SupportedVersion { get; }
}
