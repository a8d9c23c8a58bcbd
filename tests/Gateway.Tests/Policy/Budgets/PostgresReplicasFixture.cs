using Routescope.Gateway.Tests.Infrastructure;

namespace Routescope.Gateway.Tests.Policy.Budgets;

/// <summary>Two gateway replicas, each with a data directory (and usage journal) of its own, on one PostgreSQL database.</summary>
public sealed class PostgresReplicasFixture : GatewayFixture
{
    private string _connectionString = null!;

    public GatewayFactory Other { get; private set; } = null!;
    public HttpClient OtherClient { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        await base.InitializeAsync();
        var settings = ReplicaSettings("other");
        settings["ConnectionStrings:Gateway"] = _connectionString;
        Other = new GatewayFactory(settings);
        OtherClient = new HttpClient { BaseAddress = Other.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public override async Task DisposeAsync()
    {
        OtherClient.Dispose();
        await Other.DisposeAsync();
        await base.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_connectionString);
    }

    protected override GatewayFactory CreateFactory(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:Gateway"] = _connectionString;
        return base.CreateFactory(settings);
    }
}
