namespace Paygentic.Sdk.Outbox.PostgreSql.Tests.Infrastructure;

/// <summary>A test against the real server: skipped with the reason when none is configured, except in CI.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.ConnectionString is null && !PostgresServer.InCi)
        {
            Skip = PostgresServer.SkipReason;
        }
    }
}
