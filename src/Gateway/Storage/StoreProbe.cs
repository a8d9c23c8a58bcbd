using Microsoft.Extensions.Options;

namespace Routescope.Gateway.Storage;

/// <summary>Pings the store every <see cref="StoreOptions.ProbeInterval"/>, so its gauge is current where nothing probes readiness.</summary>
internal sealed class StoreProbe(StoreHealthCheck check, IOptions<StoreOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ProbeInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await check.ProbeAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
