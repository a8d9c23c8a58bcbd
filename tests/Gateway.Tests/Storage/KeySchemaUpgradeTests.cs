using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Npgsql;

using Routescope.Gateway.Hosting;
using Routescope.Gateway.Keys;
using Routescope.Gateway.Storage;
using Routescope.Gateway.Storage.Postgres;
using Routescope.Gateway.Storage.Sqlite;
using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Storage;

/// <summary>Keys made before policies existed (schema version 4) survive the upgrade to 5 whole, policy-less, and their groups exist.</summary>
public sealed class KeySchemaUpgradeTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static readonly GatewayKey[] Kept =
    [
        new() { Id = "key_old1", Name = "team-a", Group = "design", Prefix = "rsg_oldold11", CreatedAt = At, ExpiresAt = At.AddDays(30) },
        new() { Id = "key_old2", Name = "team-b", Group = "design", Prefix = "rsg_oldold22", CreatedAt = At.AddSeconds(1), RevokedAt = At.AddDays(1) },
        new() { Id = "key_old3", Name = "batch", Group = "batch", Prefix = "rsg_oldold33", CreatedAt = At.AddSeconds(2) },
    ];

    [Fact]
    public async Task A_sqlite_store_at_version_4_keeps_every_key()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rsg-upgrade-" + Guid.NewGuid().ToString("N"));
        var database = new SqliteDatabase(Options.Create(new StoreOptions()), Options.Create(new DataDirectoryOptions { Path = directory }));
        try
        {
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);"
                    + string.Concat(SqliteMigrator.Migrations.Where(m => m.Version <= 4).Select(m => m.Sql + $";INSERT INTO schema_version VALUES ({m.Version}, 'then');"))
                    + string.Concat(Kept.Select(k => "INSERT INTO gateway_keys (id, name, key_group, prefix, key_hash, created_at, expires_at, revoked_at) VALUES "
                        + $"('{k.Id}', '{k.Name}', '{k.Group}', '{k.Prefix}', 'hash-{k.Id}', '{StoreTime.Format(k.CreatedAt)}', {Text(k.ExpiresAt)}, {Text(k.RevokedAt)});"));
                await command.ExecuteNonQueryAsync();
            }

            await new SqliteMigrator(database, TimeProvider.System, NullLogger<SqliteMigrator>.Instance).MigrateAsync(CancellationToken.None);

            await AssertKeptAsync(new SqliteKeyStore(database));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }

        static string Text(DateTimeOffset? time) => time is { } t ? $"'{StoreTime.Format(t)}'" : "NULL";
    }

    [Fact]
    public async Task A_postgres_store_at_version_4_keeps_every_key()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync();
        var database = new PostgresDatabase(Options.Create(new StoreOptions { ConnectionString = connectionString }));
        try
        {
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            {
                var sql = "CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());"
                    + string.Concat(PostgresMigrator.Migrations.Where(m => m.Version <= 4).Select(m => m.Sql + $";INSERT INTO schema_version (version) VALUES ({m.Version});"))
                    + string.Concat(Kept.Select(k => "INSERT INTO gateway_keys (id, name, key_group, prefix, key_hash, created_at, expires_at, revoked_at) VALUES "
                        + $"('{k.Id}', '{k.Name}', '{k.Group}', '{k.Prefix}', 'hash-{k.Id}', '{Iso(k.CreatedAt)}', {Text(k.ExpiresAt)}, {Text(k.RevokedAt)});"));
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }

            await new PostgresMigrator(database, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None);

            await AssertKeptAsync(new PostgresKeyStore(database));
        }
        finally
        {
            await database.DisposeAsync();
            await TestPostgres.DropDatabaseAsync(connectionString);
        }

        static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        static string Text(DateTimeOffset? time) => time is { } t ? $"'{Iso(t)}'" : "NULL";
    }

    private static async Task AssertKeptAsync(IKeyStore store)
    {
        Assert.Equal(Kept, await store.ListAsync(CancellationToken.None));
        foreach (var key in Kept)
        {
            // Equal keys: the same identity, times and revocation, and no policy.
            Assert.Equal(key, await store.FindByHashAsync("hash-" + key.Id, CancellationToken.None));
        }

        Assert.Equal([new KeyGroup { Name = "batch" }, new KeyGroup { Name = "design" }], await store.ListGroupsAsync(CancellationToken.None));

        // The new column takes a policy, and the key keeps its expiry column.
        Assert.Equal("hash-key_old1", await store.UpdatePolicyAsync("key_old1", new KeyPolicy { Rpm = 5, ExpiresAt = Kept[0].ExpiresAt }, StoreAudit.Entry, CancellationToken.None));
        Assert.Equal(Kept[0] with { Policy = new KeyPolicy { Rpm = 5 } }, await store.FindByIdAsync("key_old1", CancellationToken.None));
    }
}
