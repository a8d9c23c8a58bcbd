using Microsoft.Data.Sqlite;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Storage.Sqlite;

/// <summary>
/// Brings the SQLite schema to the newest version. Versions are applied in order, each in its own transaction,
/// and recorded in <c>schema_version</c>, so a restart after a partial upgrade resumes where it stopped.
/// </summary>
internal sealed partial class SqliteMigrator(SqliteDatabase database, TimeProvider time, ILogger<SqliteMigrator> logger) : IStoreMigrator
{
    /// <summary>Append only: a shipped migration is never edited, a change is a new version.</summary>
    internal static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE gateway_keys (
                id          TEXT NOT NULL PRIMARY KEY,
                name        TEXT NOT NULL,
                key_group   TEXT NOT NULL,
                prefix      TEXT NOT NULL,
                key_hash    TEXT NOT NULL UNIQUE,
                created_at  TEXT NOT NULL,
                expires_at  TEXT NULL,
                revoked_at  TEXT NULL
            );
            """),
        (2, """
            CREATE TABLE usage_records (
                request_id               TEXT NOT NULL PRIMARY KEY,
                started_at               TEXT NOT NULL,
                ended_at                 TEXT NOT NULL,
                key_id                   TEXT NOT NULL,
                key_prefix               TEXT NOT NULL,
                key_name                 TEXT NOT NULL,
                key_group                TEXT NOT NULL,
                operation                TEXT NOT NULL,
                requested_model          TEXT NOT NULL,
                served_model             TEXT NOT NULL,
                fallback_chain           TEXT NOT NULL,
                channel                  TEXT NOT NULL,
                http_status              INTEGER NOT NULL,
                upstream_status          INTEGER NULL,
                outcome                  TEXT NOT NULL,
                prompt_tokens            INTEGER NOT NULL,
                candidates_tokens        INTEGER NOT NULL,
                thoughts_tokens          INTEGER NOT NULL,
                cached_content_tokens    INTEGER NOT NULL,
                tool_use_prompt_tokens   INTEGER NOT NULL,
                total_tokens             INTEGER NOT NULL,
                output_text_tokens       INTEGER NOT NULL,
                output_image_tokens      INTEGER NOT NULL,
                modality_details         TEXT NOT NULL,
                images                   INTEGER NOT NULL,
                finish_reasons           TEXT NOT NULL,
                model_version            TEXT NULL,
                response_id              TEXT NULL,
                image_size               TEXT NULL,
                aspect_ratio             TEXT NULL,
                latency_ms               REAL NOT NULL,
                ttfb_ms                  REAL NULL,
                bytes_in                 INTEGER NOT NULL,
                bytes_out                INTEGER NOT NULL,
                input_per_million        TEXT NOT NULL,
                output_text_per_million  TEXT NOT NULL,
                output_image_per_million TEXT NOT NULL,
                per_image_price          TEXT NULL,
                channel_ratio            TEXT NOT NULL,
                group_ratio              TEXT NOT NULL,
                cost                     TEXT NOT NULL,
                currency                 TEXT NOT NULL
            );
            CREATE INDEX usage_records_started ON usage_records (started_at);
            CREATE INDEX usage_records_key_started ON usage_records (key_id, started_at);
            """),
        // A client may reuse its x-request-id: records are keyed by an id of the gateway's own (old rows keep theirs).
        // SQLite cannot drop a primary key in place, so the table is rebuilt.
        (3, """
            CREATE TABLE usage_records_v3 (
                request_id               TEXT NOT NULL,
                started_at               TEXT NOT NULL,
                ended_at                 TEXT NOT NULL,
                key_id                   TEXT NOT NULL,
                key_prefix               TEXT NOT NULL,
                key_name                 TEXT NOT NULL,
                key_group                TEXT NOT NULL,
                operation                TEXT NOT NULL,
                requested_model          TEXT NOT NULL,
                served_model             TEXT NOT NULL,
                fallback_chain           TEXT NOT NULL,
                channel                  TEXT NOT NULL,
                http_status              INTEGER NOT NULL,
                upstream_status          INTEGER NULL,
                outcome                  TEXT NOT NULL,
                prompt_tokens            INTEGER NOT NULL,
                candidates_tokens        INTEGER NOT NULL,
                thoughts_tokens          INTEGER NOT NULL,
                cached_content_tokens    INTEGER NOT NULL,
                tool_use_prompt_tokens   INTEGER NOT NULL,
                total_tokens             INTEGER NOT NULL,
                output_text_tokens       INTEGER NOT NULL,
                output_image_tokens      INTEGER NOT NULL,
                modality_details         TEXT NOT NULL,
                images                   INTEGER NOT NULL,
                finish_reasons           TEXT NOT NULL,
                model_version            TEXT NULL,
                response_id              TEXT NULL,
                image_size               TEXT NULL,
                aspect_ratio             TEXT NULL,
                latency_ms               REAL NOT NULL,
                ttfb_ms                  REAL NULL,
                bytes_in                 INTEGER NOT NULL,
                bytes_out                INTEGER NOT NULL,
                input_per_million        TEXT NOT NULL,
                output_text_per_million  TEXT NOT NULL,
                output_image_per_million TEXT NOT NULL,
                per_image_price          TEXT NULL,
                channel_ratio            TEXT NOT NULL,
                group_ratio              TEXT NOT NULL,
                cost                     TEXT NOT NULL,
                currency                 TEXT NOT NULL,
                record_id                TEXT NOT NULL PRIMARY KEY
            );
            INSERT INTO usage_records_v3 (request_id, started_at, ended_at, key_id, key_prefix, key_name, key_group, operation, requested_model, served_model, fallback_chain, channel, http_status, upstream_status, outcome, prompt_tokens, candidates_tokens, thoughts_tokens, cached_content_tokens, tool_use_prompt_tokens, total_tokens, output_text_tokens, output_image_tokens, modality_details, images, finish_reasons, model_version, response_id, image_size, aspect_ratio, latency_ms, ttfb_ms, bytes_in, bytes_out, input_per_million, output_text_per_million, output_image_per_million, per_image_price, channel_ratio, group_ratio, cost, currency, record_id)
                SELECT request_id, started_at, ended_at, key_id, key_prefix, key_name, key_group, operation, requested_model, served_model, fallback_chain, channel, http_status, upstream_status, outcome, prompt_tokens, candidates_tokens, thoughts_tokens, cached_content_tokens, tool_use_prompt_tokens, total_tokens, output_text_tokens, output_image_tokens, modality_details, images, finish_reasons, model_version, response_id, image_size, aspect_ratio, latency_ms, ttfb_ms, bytes_in, bytes_out, input_per_million, output_text_per_million, output_image_per_million, per_image_price, channel_ratio, group_ratio, cost, currency, request_id FROM usage_records;
            DROP TABLE usage_records;
            ALTER TABLE usage_records_v3 RENAME TO usage_records;
            CREATE INDEX usage_records_started ON usage_records (started_at);
            CREATE INDEX usage_records_key_started ON usage_records (key_id, started_at);
            CREATE INDEX usage_records_request ON usage_records (request_id);
            """),
        // What a cost rests on and the record's flags; prices and cost may be unknown (a model recorded unpriced).
        // SQLite cannot relax NOT NULL in place, so the table is rebuilt.
        (4, """
            CREATE TABLE usage_records_v4 (
                request_id               TEXT NOT NULL,
                started_at               TEXT NOT NULL,
                ended_at                 TEXT NOT NULL,
                key_id                   TEXT NOT NULL,
                key_prefix               TEXT NOT NULL,
                key_name                 TEXT NOT NULL,
                key_group                TEXT NOT NULL,
                operation                TEXT NOT NULL,
                requested_model          TEXT NOT NULL,
                served_model             TEXT NOT NULL,
                fallback_chain           TEXT NOT NULL,
                channel                  TEXT NOT NULL,
                http_status              INTEGER NOT NULL,
                upstream_status          INTEGER NULL,
                outcome                  TEXT NOT NULL,
                prompt_tokens            INTEGER NOT NULL,
                candidates_tokens        INTEGER NOT NULL,
                thoughts_tokens          INTEGER NOT NULL,
                cached_content_tokens    INTEGER NOT NULL,
                tool_use_prompt_tokens   INTEGER NOT NULL,
                total_tokens             INTEGER NOT NULL,
                output_text_tokens       INTEGER NOT NULL,
                output_image_tokens      INTEGER NOT NULL,
                modality_details         TEXT NOT NULL,
                images                   INTEGER NOT NULL,
                finish_reasons           TEXT NOT NULL,
                model_version            TEXT NULL,
                response_id              TEXT NULL,
                image_size               TEXT NULL,
                aspect_ratio             TEXT NULL,
                latency_ms               REAL NOT NULL,
                ttfb_ms                  REAL NULL,
                bytes_in                 INTEGER NOT NULL,
                bytes_out                INTEGER NOT NULL,
                input_per_million        TEXT NULL,
                cached_input_per_million TEXT NULL,
                output_text_per_million  TEXT NULL,
                output_image_per_million TEXT NULL,
                per_image_price          TEXT NULL,
                channel_ratio            TEXT NOT NULL,
                group_ratio              TEXT NOT NULL,
                cost                     TEXT NULL,
                cost_basis               TEXT NOT NULL,
                flags                    TEXT NOT NULL,
                currency                 TEXT NOT NULL,
                record_id                TEXT NOT NULL PRIMARY KEY
            );
            INSERT INTO usage_records_v4 (request_id, started_at, ended_at, key_id, key_prefix, key_name, key_group, operation, requested_model, served_model, fallback_chain, channel, http_status, upstream_status, outcome, prompt_tokens, candidates_tokens, thoughts_tokens, cached_content_tokens, tool_use_prompt_tokens, total_tokens, output_text_tokens, output_image_tokens, modality_details, images, finish_reasons, model_version, response_id, image_size, aspect_ratio, latency_ms, ttfb_ms, bytes_in, bytes_out, input_per_million, output_text_per_million, output_image_per_million, per_image_price, channel_ratio, group_ratio, cost, currency, record_id, cost_basis, flags)
                SELECT request_id, started_at, ended_at, key_id, key_prefix, key_name, key_group, operation, requested_model, served_model, fallback_chain, channel, http_status, upstream_status, outcome, prompt_tokens, candidates_tokens, thoughts_tokens, cached_content_tokens, tool_use_prompt_tokens, total_tokens, output_text_tokens, output_image_tokens, modality_details, images, finish_reasons, model_version, response_id, image_size, aspect_ratio, latency_ms, ttfb_ms, bytes_in, bytes_out, input_per_million, output_text_per_million, output_image_per_million, per_image_price, channel_ratio, group_ratio, cost, currency, record_id, 'measured', 'legacy' FROM usage_records;
            DROP TABLE usage_records;
            ALTER TABLE usage_records_v4 RENAME TO usage_records;
            CREATE INDEX usage_records_started ON usage_records (started_at);
            CREATE INDEX usage_records_key_started ON usage_records (key_id, started_at);
            CREATE INDEX usage_records_request ON usage_records (request_id);
            """),
        // Spend control: a key's own policy (JSON, null for none; its expiry stays in expires_at) and the groups put
        // with defaults their keys inherit. A group only keys name has no row; the index finds those.
        (5, """
            ALTER TABLE gateway_keys ADD COLUMN policy TEXT NULL;
            CREATE TABLE key_groups (
                name        TEXT NOT NULL PRIMARY KEY,
                policy      TEXT NULL,
                updated_at  TEXT NOT NULL
            );
            CREATE INDEX gateway_keys_group ON gateway_keys (key_group);
            """),
        // Budgets: the reservation a record settles, each key's month spend (exact decimal text, like every money
        // column), live reservations and the notices sent. key_spend is backfilled in C# (BackfillKeySpendAsync):
        // SQLite's SUM over text money would go through REAL and round.
        (6, """
            ALTER TABLE usage_records ADD COLUMN reservation_id TEXT NULL;
            CREATE TABLE key_spend (
                key_id      TEXT NOT NULL,
                month       TEXT NOT NULL,
                spent_usd   TEXT NOT NULL,
                PRIMARY KEY (key_id, month)
            );
            CREATE TABLE budget_reservations (
                id          TEXT NOT NULL PRIMARY KEY,
                key_id      TEXT NOT NULL,
                month       TEXT NOT NULL,
                amount_usd  TEXT NOT NULL,
                expires_at  TEXT NOT NULL
            );
            CREATE INDEX budget_reservations_key_month ON budget_reservations (key_id, month);
            CREATE TABLE budget_notices (
                key_id      TEXT NOT NULL,
                month       TEXT NOT NULL,
                kind        TEXT NOT NULL,
                sent_at     TEXT NOT NULL,
                PRIMARY KEY (key_id, month, kind)
            );
            """),
        // Replicas sharing the store, so that each enforces its share of the keys' rpm and concurrency.
        (7, """
            CREATE TABLE gateway_replicas (
                id       TEXT NOT NULL PRIMARY KEY,
                seen_at  TEXT NOT NULL
            );
            """),
        // Two costs (what the relay bills, what the team is charged), the time the store kept a record and the time
        // exports attribute it to. Records kept before keep being attributed by their start, as every export of them
        // so far did; their upstream cost is backfilled in C# (BackfillUpstreamCostAsync), exact like all money.
        (8, """
            ALTER TABLE usage_records RENAME COLUMN cost TO chargeback_cost;
            ALTER TABLE usage_records ADD COLUMN upstream_cost TEXT NULL;
            ALTER TABLE usage_records ADD COLUMN recorded_at TEXT NULL;
            ALTER TABLE usage_records ADD COLUMN billed_at TEXT NULL;
            ALTER TABLE usage_records ADD COLUMN charge_class TEXT NOT NULL DEFAULT '';
            UPDATE usage_records SET recorded_at = ended_at, billed_at = started_at;
            CREATE INDEX usage_records_billed ON usage_records (billed_at);
            CREATE TABLE usage_periods (
                month      TEXT NOT NULL PRIMARY KEY,
                closed_at  TEXT NOT NULL
            );
            """),
        // What each replica holds for the store (count, earliest completion time), so that every export and every
        // close knows the backlogs of all replicas sharing the store, not only its own.
        (9, """
            CREATE TABLE usage_backlogs (
                replica_id       TEXT NOT NULL PRIMARY KEY,
                records          INTEGER NOT NULL,
                oldest_ended_at  TEXT NULL,
                reported_at      TEXT NOT NULL
            );
            """),
        // The audit log of key and group changes, kept in each change's own transaction; the id orders it.
        (10, """
            CREATE TABLE audit_log (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                at         TEXT NOT NULL,
                actor      TEXT NOT NULL,
                origin     TEXT NULL,
                action     TEXT NOT NULL,
                key_id     TEXT NULL,
                key_name   TEXT NULL,
                key_group  TEXT NULL,
                changes    TEXT NOT NULL
            );
            CREATE INDEX audit_log_key ON audit_log (key_id, id);
            CREATE INDEX audit_log_at ON audit_log (at);
            """),
    ];

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);
        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER NOT NULL PRIMARY KEY,
                applied_at  TEXT NOT NULL
            );
            """, cancellationToken);

        foreach (var (version, sql) in Migrations)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            // Re-checked inside the transaction: two replicas starting together must not both apply a version.
            await using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = "SELECT COUNT(*) FROM schema_version WHERE version = $v";
                check.Parameters.AddWithValue("$v", version);
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0)
                {
                    continue;
                }
            }

            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            if (version == 6)
            {
                await BackfillKeySpendAsync(connection, transaction, cancellationToken);
            }

            if (version == 8)
            {
                await BackfillUpstreamCostAsync(connection, transaction, cancellationToken);
            }

            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at)";
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$at", StoreTime.Format(time.GetUtcNow()));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, version);
        }
    }

    /// <summary>Each key's month spend from the records already kept, summed as C# decimals (exact), in the version's transaction.</summary>
    private static async Task BackfillKeySpendAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var spent = new Dictionary<(string Key, string Month), decimal>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            // started_at is fixed-width ISO-8601 UTC text: its first seven characters are the month, yyyy-MM.
            read.CommandText = "SELECT key_id, substr(started_at, 1, 7), cost FROM usage_records";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var month = (reader.GetString(0), reader.GetString(1));
                var cost = reader.IsDBNull(2) ? 0m : decimal.Parse(reader.GetString(2), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture);
                spent[month] = spent.GetValueOrDefault(month) + cost;
            }
        }

        await using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = "INSERT INTO key_spend (key_id, month, spent_usd) VALUES ($key, $month, $spent)";
        var key = write.Parameters.Add("$key", SqliteType.Text);
        var monthParameter = write.Parameters.Add("$month", SqliteType.Text);
        var amount = write.Parameters.Add("$spent", SqliteType.Text);
        foreach (var ((keyId, month), total) in spent)
        {
            (key.Value, monthParameter.Value, amount.Value) = (keyId, month, total.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task BackfillUpstreamCostAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var costs = new List<(string RecordId, decimal UpstreamCost)>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = UpstreamCostBackfill.Select;
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                costs.Add(UpstreamCostBackfill.Read(reader, static (row, i) => decimal.Parse(row.GetString(i), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        await using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = "UPDATE usage_records SET upstream_cost = $cost WHERE record_id = $id";
        var cost = write.Parameters.Add("$cost", SqliteType.Text);
        var id = write.Parameters.Add("$id", SqliteType.Text);
        foreach (var (recordId, upstream) in costs)
        {
            (cost.Value, id.Value) = (upstream.ToString(System.Globalization.CultureInfo.InvariantCulture), recordId);
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = EventIds.SqliteSchemaMigrated, Level = LogLevel.Information, Message = "Store schema migrated to version {Version}")]
    private static partial void LogApplied(ILogger logger, int version);
}
