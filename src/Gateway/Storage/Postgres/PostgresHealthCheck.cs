using Microsoft.Extensions.Options;

using Npgsql;

using Routescope.Gateway.Keys;

namespace Routescope.Gateway.Storage.Postgres;

internal sealed class PostgresHealthCheck(PostgresDatabase database, IOptions<StoreOptions> options, StoreAvailability availability, KeyCache keys)
    : StoreHealthCheck(options, availability, keys)
{
    protected override async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
