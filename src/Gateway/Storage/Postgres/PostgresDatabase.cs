using Microsoft.Extensions.Options;

using Npgsql;

namespace Routescope.Gateway.Storage.Postgres;

/// <summary>The pooled PostgreSQL data source of the shared store.</summary>
internal sealed class PostgresDatabase(IOptions<StoreOptions> options) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(options.Value.ConnectionString!);

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _source.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
