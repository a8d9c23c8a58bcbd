using System.Runtime.InteropServices;

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Hosting;

/// <summary>
/// The graceful stop. Once shutdown begins (SIGTERM, Ctrl+C, or the host stopped by code) readiness turns 503 at once
/// while Kestrel goes on accepting and serving for <see cref="LifecycleOptions.DrainDelay"/>; then the server stops
/// accepting and the requests in flight finish, until the host's shutdown timeout, which counts from the start of
/// shutdown and so includes the delay. A second SIGTERM or Ctrl+C ends both waits at once: what is still in flight is
/// cut (and recorded as <c>shutdown</c>), so nobody waits minutes for a stuck generation by accident.
/// </summary>
/// <remarks>
/// It runs in <see cref="IHostedLifecycleService.StoppingAsync"/>, which the host calls before any hosted service's
/// <c>StopAsync</c> (Kestrel's included) and inside its shutdown timeout. It stops the server itself after the delay,
/// with a token a second signal can cancel: the host's own call to stop the server later passes a token only the timeout
/// cancels, and then returns when this stop has (Kestrel stops once).
/// </remarks>
internal sealed partial class ShutdownDrain : IHostedLifecycleService, IDisposable
{
    private readonly IOptions<LifecycleOptions> _options;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<ShutdownDrain> _logger;
    private readonly CancellationTokenSource _began = new();
    private readonly CancellationTokenSource _forced = new();
    private readonly CancellationTokenSource _release = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private CancellationTokenRegistration _stopping;
    // The timestamp shutdown began at; 0 until then. Set once: it is also the "has begun" flag.
    private long _beganAt;
    private int _signalCount;

    public ShutdownDrain(
        IOptions<LifecycleOptions> options, IServer server, IHostApplicationLifetime lifetime, TimeProvider time, LifecycleMetrics metrics, ILogger<ShutdownDrain> logger)
    {
        _options = options;
        _server = server;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
        metrics.ObserveDraining(() => Draining);
    }

    /// <summary>True from the start of shutdown: readiness is 503.</summary>
    public bool Draining => Volatile.Read(ref _beganAt) != 0;

    /// <summary>Fires when shutdown begins (the earlier of the lifetime's stopping event and the host's stop).</summary>
    public CancellationToken Began => _began.Token;

    /// <summary>Fires on a second stop signal: what is still in flight is cut now.</summary>
    public CancellationToken Forced => _forced.Token;

    /// <summary>Time since shutdown began; zero before.</summary>
    public TimeSpan SinceBegan => Volatile.Read(ref _beganAt) is var began and not 0 ? _time.GetElapsedTime(began) : TimeSpan.Zero;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        // SIGTERM reaches the console lifetime first, which raises ApplicationStopping before the host's stop begins.
        _stopping = _lifetime.ApplicationStopping.Register(Begin);
        if (!OperatingSystem.IsWindows())
        {
            // The console lifetime handles the first signal; these registrations only count, to catch the second.
            _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
            _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        }

        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Begin();
        var delay = _options.Value.DrainDelay;
        using var release = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _release.Token);
        if (delay > TimeSpan.Zero)
        {
            LogDrainStarted(_logger, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, _time, release.Token);
            }
            catch (OperationCanceledException)
            {
                // Forced, or the shutdown timeout was shorter than the delay: stop the server now.
            }
        }

        var stopping = _time.GetTimestamp();
        await _server.StopAsync(release.Token);
        var drained = _time.GetElapsedTime(stopping).TotalSeconds;
        var total = SinceBegan.TotalSeconds;
        LogDrainEnded(_logger, drained, total);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _stopping.Dispose();
        _began.Dispose();
        _forced.Dispose();
        _release.Dispose();
    }

    private void Begin()
    {
        // At least 1: a timestamp of 0 is "not begun".
        if (Interlocked.CompareExchange(ref _beganAt, Math.Max(1, _time.GetTimestamp()), 0) != 0)
        {
            return;
        }

        _began.Cancel();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signalCount) < 2)
        {
            return;
        }

        // The console lifetime would ignore it; the host is already stopping, so nothing else has to happen.
        context.Cancel = true;
        if (_forced.IsCancellationRequested)
        {
            return;
        }

        LogForced(_logger, context.Signal.ToString());
        // The cut first, then the release: requests aborted by the release must already count as cut by the shutdown.
        _forced.Cancel();
        _release.Cancel();
    }

    [LoggerMessage(EventId = EventIds.DrainStarted, Level = LogLevel.Information,
        Message = "Shutting down: readiness is 503, still serving for the drain delay of {DelaySeconds} s before the listener closes")]
    private static partial void LogDrainStarted(ILogger logger, double delaySeconds);

    [LoggerMessage(EventId = EventIds.DrainForced, Level = LogLevel.Warning,
        Message = "Second {Signal}: requests still in flight are cut now (recorded with outcome shutdown)")]
    private static partial void LogForced(ILogger logger, string signal);

    [LoggerMessage(EventId = EventIds.DrainEnded, Level = LogLevel.Information,
        Message = "The server stopped: in-flight requests took {DrainSeconds:0.0} s after the listener closed, {TotalSeconds:0.0} s since shutdown began")]
    private static partial void LogDrainEnded(ILogger logger, double drainSeconds, double totalSeconds);
}
