using Npgsql;

using Routescope.Gateway.Policy.Budgets;

namespace Routescope.Gateway.Storage.Postgres;

/// <summary>
/// Budgets in the shared PostgreSQL store. A reservation locks the key's month row in <c>key_spend</c>
/// (<c>FOR UPDATE</c>) before it reads the live reservations, so replicas reserving for one key at once take turns and
/// none grants against a sum another is about to change; the usage store settles under the same row.
/// </summary>
internal sealed class PostgresBudgetStore(PostgresDatabase database) : IBudgetStore
{
    public async Task<BudgetDecision> ReserveAsync(BudgetClaim claim, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        decimal spent, reserved;
        // One round trip; the row lock is taken before the reservations are summed.
        await using (var read = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                // A reservation need not survive a database crash (it would have expired anyway; the spend is settled
                // in the usage record's synchronously committed transaction): without the WAL flush the row lock is
                // held for far less, and other replicas see the commit at once all the same.
                new NpgsqlBatchCommand("SET LOCAL synchronous_commit = off"),
                Command("INSERT INTO key_spend (key_id, month, spent_usd) VALUES ($1, $2, 0) ON CONFLICT (key_id, month) DO NOTHING", claim.KeyId, claim.Month),
                Command("SELECT spent_usd FROM key_spend WHERE key_id = $1 AND month = $2 FOR UPDATE", claim.KeyId, claim.Month),
                Command("DELETE FROM budget_reservations WHERE key_id = $1 AND expires_at <= $2", claim.KeyId, claim.Now.UtcDateTime),
                Command("SELECT coalesce(sum(amount_usd), 0) FROM budget_reservations WHERE key_id = $1 AND month = $2 AND expires_at > $3", claim.KeyId, claim.Month, claim.Now.UtcDateTime),
            },
        })
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            spent = reader.GetDecimal(0);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            reserved = reader.GetDecimal(0);
        }

        if (spent + reserved + claim.Amount > claim.Budget)
        {
            await transaction.CommitAsync(cancellationToken); // keeps the expired reservations' clean-up
            return new BudgetDecision(false, spent, reserved);
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO budget_reservations (id, key_id, month, amount_usd, expires_at) VALUES ($1, $2, $3, $4, $5)", connection, transaction)
        {
            Parameters =
            {
                new() { Value = claim.ReservationId }, new() { Value = claim.KeyId }, new() { Value = claim.Month },
                new() { Value = claim.Amount }, new() { Value = claim.ExpiresAt.UtcDateTime },
            },
        })
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new BudgetDecision(true, spent, reserved);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    public async Task<BudgetSpend> SpendAsync(string keyId, string month, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var read = new NpgsqlCommand("""
            SELECT (SELECT coalesce(sum(spent_usd), 0) FROM key_spend WHERE key_id = $1 AND month = $2),
                   (SELECT coalesce(sum(amount_usd), 0) FROM budget_reservations WHERE key_id = $1 AND month = $2 AND expires_at > $3)
            """, connection)
        {
            Parameters = { new() { Value = keyId }, new() { Value = month }, new() { Value = now.UtcDateTime } },
        };
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new BudgetSpend(reader.GetDecimal(0), reader.GetDecimal(1));
    }

    public async Task<BudgetSpend> GroupSpendAsync(string group, string month, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var read = new NpgsqlCommand("""
            SELECT (SELECT coalesce(sum(s.spent_usd), 0) FROM key_spend s JOIN gateway_keys k ON k.id = s.key_id WHERE k.key_group = $1 AND s.month = $2),
                   (SELECT coalesce(sum(r.amount_usd), 0) FROM budget_reservations r JOIN gateway_keys k ON k.id = r.key_id
                    WHERE k.key_group = $1 AND r.month = $2 AND r.expires_at > $3)
            """, connection)
        {
            Parameters = { new() { Value = group }, new() { Value = month }, new() { Value = now.UtcDateTime } },
        };
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new BudgetSpend(reader.GetDecimal(0), reader.GetDecimal(1));
    }

    public async Task<IReadOnlyDictionary<string, BudgetSpend>> GroupSpendsAsync(string month, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var read = new NpgsqlCommand("""
            SELECT key_group, sum(spent), sum(reserved) FROM (
                SELECT k.key_group, s.spent_usd AS spent, 0::numeric AS reserved FROM key_spend s JOIN gateway_keys k ON k.id = s.key_id WHERE s.month = $1
                UNION ALL
                SELECT k.key_group, 0::numeric, r.amount_usd FROM budget_reservations r JOIN gateway_keys k ON k.id = r.key_id
                WHERE r.month = $1 AND r.expires_at > $2
            ) AS month_money GROUP BY key_group
            """, connection)
        {
            Parameters = { new() { Value = month }, new() { Value = now.UtcDateTime } },
        };
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var spends = new Dictionary<string, BudgetSpend>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            spends[reader.GetString(0)] = new BudgetSpend(reader.GetDecimal(1), reader.GetDecimal(2));
        }

        return spends;
    }

    public async Task<bool> TryNoteNoticeAsync(string keyId, string month, string kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = new NpgsqlCommand("INSERT INTO budget_notices (key_id, month, kind, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", connection)
        {
            Parameters = { new() { Value = keyId }, new() { Value = month }, new() { Value = kind }, new() { Value = now.UtcDateTime } },
        };
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
