namespace Routescope.Gateway.Storage;

/// <summary>Answers whether the store can be reached right now (readiness).</summary>
internal interface IStoreProbe
{
    Task PingAsync(CancellationToken cancellationToken);
}
