namespace Routescope.Gateway.Storage;

/// <summary>Brings the store's schema to the version this build needs.</summary>
internal interface IStoreMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}
