using Npgsql;

namespace Routescope.Gateway.Storage;

internal sealed class PostgresStoreProbe(PostgresDatabase database) : IStoreProbe
{
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT max(version) FROM schema_version", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
