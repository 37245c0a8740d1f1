namespace Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;

/// <summary>
/// The real server the tests use: <c>PAYGENTIC_TEST_POSTGRES</c> holds its connection string (<c>.ci/run</c> starts
/// one with <c>.ci/postgres</c>). Locally the tests skip without it; in CI (<c>CI=true</c>) they fail instead, so a
/// server that failed to start can never pass as green.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "PAYGENTIC_TEST_POSTGRES";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string SkipReason =>
        $"{Variable} is not set: start a server with `bash .ci/postgres start /tmp/pg` and export the connection string it prints.";

    /// <summary>The connection string, or a failure explaining why there is none (reached only in CI or when not skipped).</summary>
    public static string RequireConnectionString() =>
        ConnectionString ?? throw new InvalidOperationException(
            $"{Variable} is not set, and CI=true makes a missing PostgreSQL server a failure, not a skip.");
}
