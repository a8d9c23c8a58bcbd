using Microsoft.Extensions.Options;

using Npgsql;

namespace Routescope.Gateway.Storage.Postgres;

internal sealed class PostgresHealthCheck(PostgresDatabase database, IOptions<StoreOptions> options) : StoreHealthCheck(options)
{
    protected override async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
