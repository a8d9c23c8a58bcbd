using System.Globalization;

using Microsoft.Data.Sqlite;

using Routescope.Gateway.Policy.Budgets;

namespace Routescope.Gateway.Storage.Sqlite;

/// <summary>
/// Budgets in SQLite, which serves one replica: a reservation is one <c>BEGIN IMMEDIATE</c> transaction (the write
/// lock first), so two requests cannot both read the month and both reserve its last dollars. Money is exact decimal
/// text, summed in C#.
/// </summary>
internal sealed class SqliteBudgetStore(SqliteDatabase database) : IBudgetStore
{
    public async Task<BudgetDecision> ReserveAsync(BudgetClaim claim, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // A reservation need not survive the machine: one lost with it would have expired anyway, and the spend it
        // guards is settled in the usage record's own (fully synced) transaction. So its commit is not fsynced (WAL
        // with synchronous=NORMAL still survives a process crash), which keeps the write lock for microseconds
        // instead of a disk flush: with FULL every reservation queued behind the last one's fsync.
        await SynchronousAsync(connection, "NORMAL", cancellationToken);
        try
        {
            return await ReserveOnAsync(connection, claim, cancellationToken);
        }
        finally
        {
            await RestoreSynchronousAsync(connection);
        }
    }

    private static async Task<BudgetDecision> ReserveOnAsync(SqliteConnection connection, BudgetClaim claim, CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite begins IMMEDIATE unless asked for a deferred transaction.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var expired = connection.CreateCommand())
        {
            expired.Transaction = transaction;
            expired.CommandText = "DELETE FROM budget_reservations WHERE key_id = $key AND expires_at <= $now";
            expired.Parameters.AddWithValue("$key", claim.KeyId);
            expired.Parameters.AddWithValue("$now", StoreTime.Format(claim.Now));
            await expired.ExecuteNonQueryAsync(cancellationToken);
        }

        var spent = await SpentAsync(connection, transaction, claim.KeyId, claim.Month, cancellationToken);
        var reserved = await ReservedAsync(connection, transaction, claim.KeyId, claim.Month, claim.Now, cancellationToken);
        if (spent + reserved + claim.Amount > claim.Budget)
        {
            return new BudgetDecision(false, spent, reserved);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO budget_reservations (id, key_id, month, amount_usd, expires_at) VALUES ($id, $key, $month, $amount, $expires)";
            insert.Parameters.AddWithValue("$id", claim.ReservationId);
            insert.Parameters.AddWithValue("$key", claim.KeyId);
            insert.Parameters.AddWithValue("$month", claim.Month);
            insert.Parameters.AddWithValue("$amount", claim.Amount.ToString(CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$expires", StoreTime.Format(claim.ExpiresAt));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new BudgetDecision(true, spent, reserved);
    }

    private static async Task SynchronousAsync(SqliteConnection connection, string level, CancellationToken cancellationToken)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = " + level;
        await pragma.ExecuteNonQueryAsync(cancellationToken);
    }

    // The connection goes back to the pool, where the usage writer may get it next: it must be FULL again, or it
    // must not go back at all.
    private static async Task RestoreSynchronousAsync(SqliteConnection connection)
    {
        try
        {
            await SynchronousAsync(connection, "FULL", CancellationToken.None);
        }
        catch (SqliteException)
        {
            SqliteConnection.ClearPool(connection);
            throw;
        }
    }

    public async Task<BudgetSpend> SpendAsync(string keyId, string month, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Deferred: a read takes no write lock, and both sums come from one snapshot.
        await using var transaction = connection.BeginTransaction(deferred: true);
        return new BudgetSpend(
            await SpentAsync(connection, transaction, keyId, month, cancellationToken),
            await ReservedAsync(connection, transaction, keyId, month, now, cancellationToken));
    }

    public async Task<BudgetSpend> GroupSpendAsync(string group, string month, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var spent = await SumAsync(connection, transaction, """
            SELECT s.spent_usd FROM key_spend s JOIN gateway_keys k ON k.id = s.key_id WHERE k.key_group = $group AND s.month = $month
            """, group, month, now, cancellationToken);
        var reserved = await SumAsync(connection, transaction, """
            SELECT r.amount_usd FROM budget_reservations r JOIN gateway_keys k ON k.id = r.key_id
            WHERE k.key_group = $group AND r.month = $month AND r.expires_at > $now
            """, group, month, now, cancellationToken);
        return new BudgetSpend(spent, reserved);
    }

    public async Task<IReadOnlyDictionary<string, BudgetSpend>> GroupSpendsAsync(string month, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        // One statement, so spend and reservations come from one snapshot; the money is summed here as decimals.
        read.CommandText = """
            SELECT k.key_group, 0, s.spent_usd FROM key_spend s JOIN gateway_keys k ON k.id = s.key_id WHERE s.month = $month
            UNION ALL
            SELECT k.key_group, 1, r.amount_usd FROM budget_reservations r JOIN gateway_keys k ON k.id = r.key_id
            WHERE r.month = $month AND r.expires_at > $now
            """;
        read.Parameters.AddWithValue("$month", month);
        read.Parameters.AddWithValue("$now", StoreTime.Format(now));
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var spends = new Dictionary<string, BudgetSpend>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var group = reader.GetString(0);
            var amount = Money(reader.GetString(2));
            var soFar = spends.GetValueOrDefault(group) ?? new BudgetSpend(0m, 0m);
            spends[group] = reader.GetInt32(1) == 0 ? soFar with { Spent = soFar.Spent + amount } : soFar with { Reserved = soFar.Reserved + amount };
        }

        return spends;
    }

    public async Task<bool> TryNoteNoticeAsync(string keyId, string month, string kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT OR IGNORE INTO budget_notices (key_id, month, kind, sent_at) VALUES ($key, $month, $kind, $at)";
        insert.Parameters.AddWithValue("$key", keyId);
        insert.Parameters.AddWithValue("$month", month);
        insert.Parameters.AddWithValue("$kind", kind);
        insert.Parameters.AddWithValue("$at", StoreTime.Format(now));
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The key's month spend; shared with the usage store, which adds to it when it settles.</summary>
    internal static async Task<decimal> SpentAsync(SqliteConnection connection, SqliteTransaction transaction, string keyId, string month, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT spent_usd FROM key_spend WHERE key_id = $key AND month = $month";
        read.Parameters.AddWithValue("$key", keyId);
        read.Parameters.AddWithValue("$month", month);
        return await read.ExecuteScalarAsync(cancellationToken) is string text ? Money(text) : 0m;
    }

    private static async Task<decimal> ReservedAsync(SqliteConnection connection, SqliteTransaction transaction, string keyId, string month, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT amount_usd FROM budget_reservations WHERE key_id = $key AND month = $month AND expires_at > $now";
        read.Parameters.AddWithValue("$key", keyId);
        read.Parameters.AddWithValue("$month", month);
        read.Parameters.AddWithValue("$now", StoreTime.Format(now));
        return await SumAsync(read, cancellationToken);
    }

    private static async Task<decimal> SumAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, string group, string month, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = sql;
        read.Parameters.AddWithValue("$group", group);
        read.Parameters.AddWithValue("$month", month);
        read.Parameters.AddWithValue("$now", StoreTime.Format(now));
        return await SumAsync(read, cancellationToken);
    }

    /// <summary>Money the command selects as text, summed as decimals (SQLite's SUM would go through REAL).</summary>
    private static async Task<decimal> SumAsync(SqliteCommand read, CancellationToken cancellationToken)
    {
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var total = 0m;
        while (await reader.ReadAsync(cancellationToken))
        {
            total += Money(reader.GetString(0));
        }

        return total;
    }

    private static decimal Money(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);
}
