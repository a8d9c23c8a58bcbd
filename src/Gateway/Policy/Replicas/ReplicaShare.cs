using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Policy.Replicas;

/// <summary>
/// This replica's part of every key's rpm and concurrency when several replicas share a store: each counts locally
/// (no store round trip per request) and enforces its share of the figure, the shares adding up to it exactly (a
/// figure below the replica count gives each replica one, the one way the total can exceed it). The live replicas
/// come from a heartbeat; if the store does not answer, the last count stands rather than every replica taking it all.
/// </summary>
internal sealed partial class ReplicaShare(IReplicaRegistry registry, IOptions<ReplicaOptions> options, ILogger<ReplicaShare> logger) : BackgroundService
{
    private readonly string _id = Guid.NewGuid().ToString("N");
    private volatile Count _count = new(1, 0);

    /// <summary>Live replicas, this one included.</summary>
    public int Replicas => _count.Replicas;

    /// <summary>This replica's part of a key's <paramref name="limit"/>.</summary>
    public int Of(int limit)
    {
        var (replicas, rank) = _count;
        if (replicas <= 1)
        {
            return limit;
        }

        var share = (limit / replicas) + (rank < limit % replicas ? 1 : 0);
        return Math.Max(1, share);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the server takes requests, so that a replica that starts does not enforce the whole figure for a
        // heartbeat; bounded, so that a store that does not answer delays no start.
        using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            bounded.CancelAfter(TimeSpan.FromSeconds(2));
            await BeatAsync(bounded.Token);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Bounded on its own: the host's token may be spent already, and leaving is a courtesy.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await registry.LeaveAsync(_id, bounded.Token);
        }
        catch (Exception exception)
        {
            // The others drop it once its heartbeat is stale.
            LogHeartbeatFailed(logger, exception.GetType().Name);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            var live = await registry.HeartbeatAsync(_id, options.Value.HeartbeatInterval * 3, cancellationToken);
            var rank = Math.Max(0, live.ToList().IndexOf(_id));
            var count = new Count(Math.Max(1, live.Count), rank);
            if (count.Replicas != _count.Replicas)
            {
                LogReplicas(logger, count.Replicas);
            }

            _count = count;
        }
        catch (Exception exception)
        {
            // A heartbeat is never worth more than the last count: nothing here stops the host.
            LogHeartbeatFailed(logger, exception.GetType().Name);
        }
    }

    private sealed record Count(int Replicas, int Rank);

    [LoggerMessage(EventId = EventIds.ReplicasChanged, Level = LogLevel.Information,
        Message = "{Replicas} replicas share the store: each enforces its share of every key's rpm and concurrency")]
    private static partial void LogReplicas(ILogger logger, int replicas);

    [LoggerMessage(EventId = EventIds.ReplicaHeartbeatFailed, Level = LogLevel.Warning,
        Message = "Replica heartbeat failed ({ExceptionType}); the last replica count stands")]
    private static partial void LogHeartbeatFailed(ILogger logger, string exceptionType);
}
