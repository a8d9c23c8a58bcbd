using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Hosting;

namespace Routescope.Gateway.Storage.Sqlite;

/// <summary>Opens connections to the embedded SQLite database, configured for concurrent readers and one writer.</summary>
internal sealed class SqliteDatabase
{
    public const string FileName = "gateway.db";

    public SqliteDatabase(IOptions<StoreOptions> options, IOptions<DataDirectoryOptions> dataDirectory)
    {
        var configured = options.Value.ConnectionString;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        var directory = dataDirectory.Value.FullPath;
        Directory.CreateDirectory(directory);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Busy handler wait in seconds: a writer holding the lock briefly must not fail a reader.
            DefaultTimeout = 10,
        }.ToString();
    }

    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
