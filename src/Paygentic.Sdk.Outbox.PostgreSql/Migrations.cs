namespace Paygentic.Sdk.Outbox.PostgreSql;

/// <summary>
/// The schema's versioned migrations, applied in order. Each is applied once per schema, inside the migrator's
/// transaction, and never edited after release: a change is a new version. <c>{s}</c> is the quoted schema.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<string> Scripts =
    [
        // Version 1: the tables and the indexes the claim, adoption, load and purge queries use.
        """
        CREATE TABLE {s}.entries (
            operation_id      text        PRIMARY KEY,
            state             text        NOT NULL CHECK (state IN ('authorized', 'pending', 'dead_lettered')),
            payload           json        NOT NULL,
            owner_instance_id text        NOT NULL,
            claimed_by        text,
            claimed_until     timestamptz,
            created_at        timestamptz NOT NULL,
            updated_at        timestamptz NOT NULL
        );
        CREATE INDEX entries_state_created_idx ON {s}.entries (state, created_at);
        CREATE INDEX entries_claimable_idx ON {s}.entries (created_at) WHERE state = 'pending';
        CREATE INDEX entries_owner_idx ON {s}.entries (owner_instance_id) WHERE state IN ('authorized', 'pending');

        CREATE TABLE {s}.instances (
            id               text        PRIMARY KEY,
            lease_expires_at timestamptz NOT NULL,
            heartbeat_at     timestamptz NOT NULL,
            started_at       timestamptz NOT NULL
        );

        CREATE TABLE {s}.tombstones (
            operation_id    text        PRIMARY KEY,
            idempotency_key text        NOT NULL,
            quantities      jsonb       NOT NULL,
            delivered_at    timestamptz NOT NULL
        );
        CREATE INDEX tombstones_delivered_idx ON {s}.tombstones (delivered_at);

        CREATE TABLE {s}.reservation_pools (
            pool_key       text        PRIMARY KEY,
            reservation_id text        NOT NULL,
            remaining_uses bigint      NOT NULL CHECK (remaining_uses >= 0),
            expires_at     timestamptz NOT NULL,
            updated_at     timestamptz NOT NULL
        );
        """,

        // Version 2: the guard's own record of a tombstone (its outcome, ticket and report, read back when an operation
        // id is reused) and of a pooled reservation (its customer and estimate, and which replica draws on it). Nullable:
        // rows written through the store's own API before have none.
        """
        ALTER TABLE {s}.tombstones ADD COLUMN payload json;
        ALTER TABLE {s}.reservation_pools ADD COLUMN payload json, ADD COLUMN owner_instance_id text;
        """,
    ];

    /// <summary>The newest version this build knows.</summary>
    public static int Latest => Scripts.Count;
}
