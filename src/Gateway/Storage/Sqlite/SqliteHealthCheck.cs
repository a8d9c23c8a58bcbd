using Microsoft.Extensions.Options;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage.Sqlite;

internal sealed class SqliteHealthCheck(SqliteDatabase database, IOptions<StoreOptions> options, StoreAvailability availability, KeyCache keys)
    : StoreHealthCheck(options, availability, keys)
{
    protected override async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version DESC LIMIT 1";
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
