using Microsoft.Data.Sqlite;

namespace Routescope.Gateway.Tests.Infrastructure;

/// <summary>
/// Another connection holding the gateway's SQLite database in <c>BEGIN EXCLUSIVE</c>: a backup tool, a migration, an
/// operator's shell. In WAL mode readers still read, but every write waits for the lock (and times out).
/// </summary>
public sealed class SqliteStoreLock : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private SqliteStoreLock(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteStoreLock> AcquireAsync(string databaseFile)
    {
        // Not pooled: disposing must close the file and release the lock, not park the connection in a pool.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databaseFile,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            // Waits out the gateway's own commit in progress, if any.
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            await connection.OpenAsync();
            // Plain SQL rather than BeginTransaction, whose BEGIN is deferred and takes no lock until a write.
            await ExecuteAsync(connection, "BEGIN EXCLUSIVE;");
            return new SqliteStoreLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ExecuteAsync(_connection, "ROLLBACK;");
        await _connection.DisposeAsync();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
