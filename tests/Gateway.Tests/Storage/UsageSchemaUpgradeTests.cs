using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Npgsql;

using Routescope.Gateway.Hosting;
using Routescope.Gateway.Policy.Budgets;
using Routescope.Gateway.Storage;
using Routescope.Gateway.Storage.Postgres;
using Routescope.Gateway.Storage.Sqlite;
using Routescope.Gateway.Tests.Infrastructure;
using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Tests.Storage;

/// <summary>Records written before cost bases, flags and the two costs existed survive the upgrade, as measured, with nothing else touched.</summary>
public sealed class UsageSchemaUpgradeTests
{
    private const string V3Columns =
        "request_id, record_id, started_at, ended_at, key_id, key_prefix, key_name, key_group, operation, requested_model, served_model, fallback_chain, channel, "
        + "http_status, upstream_status, outcome, prompt_tokens, candidates_tokens, thoughts_tokens, cached_content_tokens, tool_use_prompt_tokens, total_tokens, "
        + "output_text_tokens, output_image_tokens, modality_details, images, finish_reasons, model_version, response_id, image_size, aspect_ratio, latency_ms, "
        + "ttfb_ms, bytes_in, bytes_out, input_per_million, output_text_per_million, output_image_per_million, per_image_price, channel_ratio, group_ratio, cost, currency";

    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_sqlite_store_at_version_3_keeps_its_records()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rsg-upgrade-" + Guid.NewGuid().ToString("N"));
        var database = new SqliteDatabase(Options.Create(new StoreOptions()), Options.Create(new DataDirectoryOptions { Path = directory }));
        try
        {
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);"
                    + string.Concat(SqliteMigrator.Migrations.Where(m => m.Version <= 3).Select(m => m.Sql + $";INSERT INTO schema_version VALUES ({m.Version}, 'then');"))
                    + $"INSERT INTO usage_records ({V3Columns}) VALUES ('req-old', 'rec-old', '{StoreTime.Format(At)}', '{StoreTime.Format(At)}', 'k1', 'rsg_k1', 'team', 'g', "
                    + "'generateContent', 'gemini-2.5-flash-image', 'gemini-2.5-flash-image', '', 'routescope', 200, 200, 'complete', 12, 1298, 0, 0, 0, 1310, 8, 1290, "
                    + "'', 1, 'STOP', NULL, NULL, NULL, '1:1', 900.5, 300.25, 100, 2000, '0.3', '2.5', '30', NULL, '1', '1', '0.0387236', 'USD');"
                    + Discounted(StoreTime.Format(At), quoted: true);
                await command.ExecuteNonQueryAsync();
            }

            await new SqliteMigrator(database, TimeProvider.System, NullLogger<SqliteMigrator>.Instance).MigrateAsync(CancellationToken.None);

            await AssertKeptAsync(new SqliteUsageStore(database, TimeProvider.System), new SqliteBudgetStore(database));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_postgres_store_at_version_3_keeps_its_records()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var database = new PostgresDatabase(Options.Create(new StoreOptions { ConnectionString = connectionString }));
        try
        {
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            {
                var sql = "CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());"
                    + string.Concat(PostgresMigrator.Migrations.Where(m => m.Version <= 3).Select(m => m.Sql + $";INSERT INTO schema_version (version) VALUES ({m.Version});"))
                    + $"INSERT INTO usage_records ({V3Columns}) VALUES ('req-old', 'rec-old', '2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z', 'k1', 'rsg_k1', 'team', 'g', "
                    + "'generateContent', 'gemini-2.5-flash-image', 'gemini-2.5-flash-image', '', 'routescope', 200, 200, 'complete', 12, 1298, 0, 0, 0, 1310, 8, 1290, "
                    + "'', 1, 'STOP', NULL, NULL, NULL, '1:1', 900.5, 300.25, 100, 2000, 0.3, 2.5, 30, NULL, 1, 1, 0.0387236, 'USD');"
                    + Discounted("2026-11-20T10:00:00Z", quoted: false);
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }

            await new PostgresMigrator(database, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None);

            await AssertKeptAsync(new PostgresUsageStore(database, TimeProvider.System), new PostgresBudgetStore(database));
        }
        finally
        {
            await database.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    /// <summary>
    /// Two more version-3 rows of another key: one of a group at ratio 0.8 (its one cost was the chargeback), one of a
    /// group at ratio 0 (a cost of 0 that says nothing of what the relay billed).
    /// </summary>
    private static string Discounted(string at, bool quoted)
    {
        string Money(string value) => quoted ? $"'{value}'" : value;
        string Row(string id, string ratio, string cost) =>
            $"INSERT INTO usage_records ({V3Columns}) VALUES ('req-{id}', 'rec-{id}', '{at}', '{at}', 'k2', 'rsg_k2', 'team-b', 'g2', "
            + "'generateContent', 'gemini-2.5-flash-image', 'gemini-2.5-flash-image', '', 'routescope', 200, 200, 'complete', 12, 1298, 0, 0, 0, 1310, 8, 1290, "
            + $"'', 1, 'STOP', NULL, NULL, NULL, '1:1', 900.5, 300.25, 100, 2000, {Money("0.3")}, {Money("2.5")}, {Money("30")}, NULL, {Money("1")}, {Money(ratio)}, {Money(cost)}, 'USD');";
        return Row("ratio-08", "0.8", "0.03097888") + Row("ratio-0", "0", "0");
    }

    private static async Task AssertKeptAsync(IUsageStore store, IBudgetStore budgets)
    {
        var records = new List<UsageRecord>();
        await foreach (var record in store.ReadAsync(At.AddDays(-1), At.AddDays(1), CancellationToken.None))
        {
            records.Add(record);
        }

        // Version 8: the one cost was the chargeback; the upstream cost is it ÷ the group ratio, or, at ratio 0, the
        // prices again; the records stay attributed by their start, as every export of them so far was.
        var byRatio = records.Where(r => r.KeyId == "k2").ToDictionary(r => r.RecordId);
        Assert.Equal((0.03097888m, 0.0387236m), (byRatio["rec-ratio-08"].ChargebackCost, byRatio["rec-ratio-08"].UpstreamCost));
        Assert.Equal((0m, 0.0387236m), (byRatio["rec-ratio-0"].ChargebackCost, byRatio["rec-ratio-0"].UpstreamCost));
        Assert.All(records, r => Assert.Equal((r.StartedAt, r.EndedAt, string.Empty), (r.BilledAt!.Value, r.RecordedAt!.Value, r.ChargeClass)));
        var kept = Assert.Single(records, r => r.KeyId == "k1");
        Assert.Equal(0.0387236m, kept.UpstreamCost);
        Assert.Equal(("rec-old", UsageCostBasis.Measured, UsageFlags.Legacy), (kept.RecordId, kept.CostBasis, kept.Flags));
        Assert.Equal((0.0387236m, 0.3m, (decimal?)null), (kept.ChargebackCost, kept.InputPerMillion, kept.CachedInputPerMillion));
        Assert.Equal((12L, 1310L, 1290L), (kept.PromptTokens, kept.TotalTokens, kept.OutputImageTokens));
        // Version 6 counted the records already kept into their keys' months, to the digit.
        Assert.Equal(new BudgetSpend(0.0387236m, 0m), await budgets.SpendAsync("k1", BudgetMonth.Of(At), At, CancellationToken.None));
    }
}
