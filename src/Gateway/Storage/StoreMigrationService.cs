namespace Routescope.Gateway.Storage;

/// <summary>Migrates the store before the server accepts traffic: a gateway that cannot reach its store must not start.</summary>
internal sealed class StoreMigrationService(IStoreMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
