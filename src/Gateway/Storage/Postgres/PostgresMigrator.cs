using Npgsql;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema, versioned like SQLite's. Replicas starting together serialise on an advisory lock, so each
/// version is applied once.
/// </summary>
internal sealed partial class PostgresMigrator(PostgresDatabase database, ILogger<PostgresMigrator> logger) : IStoreMigrator
{
    private const long LockId = 0x5253_4741_5445_5701; // "RSGATEW" + 1: any constant shared by all replicas

    /// <summary>Append only, and in step with the SQLite versions (same tables, same meaning).</summary>
    internal static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE gateway_keys (
                id          text PRIMARY KEY,
                name        text NOT NULL,
                key_group   text NOT NULL,
                prefix      text NOT NULL,
                key_hash    text NOT NULL UNIQUE,
                created_at  timestamptz NOT NULL,
                expires_at  timestamptz NULL,
                revoked_at  timestamptz NULL
            );
            """),
        (2, """
            CREATE TABLE usage_records (
                request_id               text PRIMARY KEY,
                started_at               timestamptz NOT NULL,
                ended_at                 timestamptz NOT NULL,
                key_id                   text NOT NULL,
                key_prefix               text NOT NULL,
                key_name                 text NOT NULL,
                key_group                text NOT NULL,
                operation                text NOT NULL,
                requested_model          text NOT NULL,
                served_model             text NOT NULL,
                fallback_chain           text NOT NULL,
                channel                  text NOT NULL,
                http_status              integer NOT NULL,
                upstream_status          integer NULL,
                outcome                  text NOT NULL,
                prompt_tokens            bigint NOT NULL,
                candidates_tokens        bigint NOT NULL,
                thoughts_tokens          bigint NOT NULL,
                cached_content_tokens    bigint NOT NULL,
                tool_use_prompt_tokens   bigint NOT NULL,
                total_tokens             bigint NOT NULL,
                output_text_tokens       bigint NOT NULL,
                output_image_tokens      bigint NOT NULL,
                modality_details         text NOT NULL,
                images                   integer NOT NULL,
                finish_reasons           text NOT NULL,
                model_version            text NULL,
                response_id              text NULL,
                image_size               text NULL,
                aspect_ratio             text NULL,
                latency_ms               double precision NOT NULL,
                ttfb_ms                  double precision NULL,
                bytes_in                 bigint NOT NULL,
                bytes_out                bigint NOT NULL,
                input_per_million        numeric NOT NULL,
                output_text_per_million  numeric NOT NULL,
                output_image_per_million numeric NOT NULL,
                per_image_price          numeric NULL,
                channel_ratio            numeric NOT NULL,
                group_ratio              numeric NOT NULL,
                cost                     numeric NOT NULL,
                currency                 text NOT NULL
            );
            CREATE INDEX usage_records_started ON usage_records (started_at);
            CREATE INDEX usage_records_key_started ON usage_records (key_id, started_at);
            """),
        // A client may reuse its x-request-id: records are keyed by an id of the gateway's own (old rows keep theirs).
        (3, """
            ALTER TABLE usage_records ADD COLUMN record_id text;
            UPDATE usage_records SET record_id = request_id;
            ALTER TABLE usage_records ALTER COLUMN record_id SET NOT NULL;
            ALTER TABLE usage_records DROP CONSTRAINT usage_records_pkey;
            ALTER TABLE usage_records ADD PRIMARY KEY (record_id);
            CREATE INDEX usage_records_request ON usage_records (request_id);
            """),
        // What a cost rests on and the record's flags; prices and cost may be unknown (a model recorded unpriced).
        (4, """
            ALTER TABLE usage_records ADD COLUMN cached_input_per_million numeric NULL;
            ALTER TABLE usage_records ADD COLUMN cost_basis text NOT NULL DEFAULT 'measured';
            ALTER TABLE usage_records ADD COLUMN flags text NOT NULL DEFAULT 'legacy';
            ALTER TABLE usage_records ALTER COLUMN flags SET DEFAULT '';
            ALTER TABLE usage_records ALTER COLUMN input_per_million DROP NOT NULL;
            ALTER TABLE usage_records ALTER COLUMN output_text_per_million DROP NOT NULL;
            ALTER TABLE usage_records ALTER COLUMN output_image_per_million DROP NOT NULL;
            ALTER TABLE usage_records ALTER COLUMN cost DROP NOT NULL;
            """),
        // Spend control: a key's own policy (JSON, null for none; its expiry stays in expires_at) and the groups put
        // with defaults their keys inherit. Text, not jsonb: nothing queries inside it, and SQLite keeps the same.
        (5, """
            ALTER TABLE gateway_keys ADD COLUMN policy text NULL;
            CREATE TABLE key_groups (
                name        text PRIMARY KEY,
                policy      text NULL,
                updated_at  timestamptz NOT NULL
            );
            CREATE INDEX gateway_keys_group ON gateway_keys (key_group);
            """),
        // Budgets: the reservation a record settles, each key's month spend (backfilled exactly: numeric SUM), live
        // reservations and the notices sent. A month is yyyy-MM of started_at in UTC.
        (6, """
            ALTER TABLE usage_records ADD COLUMN reservation_id text NULL;
            CREATE TABLE key_spend (
                key_id      text NOT NULL,
                month       text NOT NULL,
                spent_usd   numeric NOT NULL,
                PRIMARY KEY (key_id, month)
            );
            INSERT INTO key_spend (key_id, month, spent_usd)
                SELECT key_id, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM'), sum(coalesce(cost, 0))
                FROM usage_records GROUP BY 1, 2;
            CREATE TABLE budget_reservations (
                id          text PRIMARY KEY,
                key_id      text NOT NULL,
                month       text NOT NULL,
                amount_usd  numeric NOT NULL,
                expires_at  timestamptz NOT NULL
            );
            CREATE INDEX budget_reservations_key_month ON budget_reservations (key_id, month);
            CREATE TABLE budget_notices (
                key_id      text NOT NULL,
                month       text NOT NULL,
                kind        text NOT NULL,
                sent_at     timestamptz NOT NULL,
                PRIMARY KEY (key_id, month, kind)
            );
            """),
        // Replicas sharing the store, so that each enforces its share of the keys' rpm and concurrency.
        (7, """
            CREATE TABLE gateway_replicas (
                id       text PRIMARY KEY,
                seen_at  timestamptz NOT NULL
            );
            """),
        // As SQLite's version 8: two costs, the keeping and the billing time; the upstream cost is backfilled in C#.
        (8, """
            ALTER TABLE usage_records RENAME COLUMN cost TO chargeback_cost;
            ALTER TABLE usage_records ADD COLUMN upstream_cost numeric NULL;
            ALTER TABLE usage_records ADD COLUMN recorded_at timestamptz NULL;
            ALTER TABLE usage_records ADD COLUMN billed_at timestamptz NULL;
            ALTER TABLE usage_records ADD COLUMN charge_class text NOT NULL DEFAULT '';
            UPDATE usage_records SET recorded_at = ended_at, billed_at = started_at;
            CREATE INDEX usage_records_billed ON usage_records (billed_at);
            CREATE TABLE usage_periods (
                month      text PRIMARY KEY,
                closed_at  timestamptz NOT NULL
            );
            """),
        // As SQLite's version 9: each replica's backlog, stamped with the database's clock.
        (9, """
            CREATE TABLE usage_backlogs (
                replica_id       text PRIMARY KEY,
                records          bigint NOT NULL,
                oldest_ended_at  timestamptz NULL,
                reported_at      timestamptz NOT NULL
            );
            """),
        // As SQLite's version 10: the audit log, ordered by its identity column.
        (10, """
            CREATE TABLE audit_log (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at         timestamptz NOT NULL,
                actor      text NOT NULL,
                origin     text NULL,
                action     text NOT NULL,
                key_id     text NULL,
                key_name   text NULL,
                key_group  text NULL,
                changes    text NOT NULL
            );
            CREATE INDEX audit_log_key ON audit_log (key_id, id);
            CREATE INDEX audit_log_at ON audit_log (at);
            """),
    ];

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockId})", cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
        foreach (var (version, sql) in Migrations)
        {
            await using var check = new NpgsqlCommand("SELECT count(*) FROM schema_version WHERE version = $1", connection) { Parameters = { new() { Value = version } } };
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                continue;
            }

            await ExecuteAsync(connection, sql, cancellationToken);
            if (version == 8)
            {
                await BackfillUpstreamCostAsync(connection, cancellationToken);
            }

            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version) VALUES ($1)", connection) { Parameters = { new() { Value = version } } };
            await record.ExecuteNonQueryAsync(cancellationToken);
            LogApplied(logger, version);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task BackfillUpstreamCostAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var costs = new List<(string RecordId, decimal UpstreamCost)>();
        await using (var read = new NpgsqlCommand(UpstreamCostBackfill.Select, connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                costs.Add(UpstreamCostBackfill.Read(reader, static (row, i) => row.GetDecimal(i)));
            }
        }

        await using var write = new NpgsqlCommand("UPDATE usage_records SET upstream_cost = $1 WHERE record_id = $2", connection)
        {
            Parameters = { new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric }, new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        foreach (var (recordId, upstream) in costs)
        {
            (write.Parameters[0].Value, write.Parameters[1].Value) = (upstream, recordId);
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = EventIds.PostgresSchemaMigrated, Level = LogLevel.Information, Message = "PostgreSQL store schema migrated to version {Version}")]
    private static partial void LogApplied(ILogger logger, int version);
}
