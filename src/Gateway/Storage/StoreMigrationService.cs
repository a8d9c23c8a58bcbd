using Routescope.Gateway.Usage;

namespace Routescope.Gateway.Storage;

/// <summary>Migrates the store before the server accepts traffic: a gateway that cannot reach its store must not start.</summary>
internal sealed class StoreMigrationService(IStoreMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The usage column table checks itself against the record when first touched: now, so that a record property
        // without a column stops the start instead of failing every write.
        _ = UsageColumns.All;
        return migrator.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
