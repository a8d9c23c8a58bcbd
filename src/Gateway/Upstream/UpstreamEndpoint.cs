using Microsoft.Extensions.Options;

using Routescope.Fake;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// Where requests go and with which key, settled once at start: the configured Routescope relay, or, in demo mode
/// (see <see cref="UpstreamMode"/>), the deterministic fake upstream on loopback, so a fresh clone works offline.
/// </summary>
internal sealed partial class UpstreamEndpoint(
    IOptions<UpstreamOptions> options, UpstreamMode mode, ILogger<UpstreamEndpoint> logger) : IAsyncDisposable
{
    private FakeUpstream? _demo;

    /// <summary>Replaces the configured destination addresses when set.</summary>
    public Uri? AddressOverride { get; private set; }

    public string? ApiKey { get; private set; }

    /// <summary>Every request goes to the built-in fake upstream.</summary>
    public bool Demo => mode.Demo;

    /// <summary>Must run before the proxy loads its configuration (YARP reads it while mapping the routes).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!mode.Demo)
        {
            AddressOverride = settings.BaseUrl;
            ApiKey = settings.ApiKey;
            if (ApiKey is null)
            {
                LogNoUpstreamKey(logger);
            }

            return;
        }

        // A key of its own: the configured upstream key (if any) is never sent anywhere in demo mode.
        var demoKey = "demo-" + Guid.NewGuid().ToString("N");
        _demo = await FakeUpstream.StartAsync(new FakeUpstreamOptions { ApiKey = demoKey }, cancellationToken);
        AddressOverride = _demo.BaseAddress;
        ApiKey = demoKey;
        LogDemo(logger, mode.Reason ?? "demo", _demo.BaseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = EventIds.DemoUpstream, Level = LogLevel.Warning,
        Message = "DEMO MODE ({Reason}): forwarding to the built-in fake upstream at {Address}; answers are fake and usage is recorded on channel 'demo'. Set ROUTESCOPE_API_KEY (and leave GATEWAY_DEMO unset) to use Routescope.")]
    private static partial void LogDemo(ILogger logger, string reason, Uri address);

    [LoggerMessage(EventId = EventIds.NoUpstreamKey, Level = LogLevel.Warning,
        Message = "ROUTESCOPE_API_KEY is not set: requests go upstream without an upstream key (allowed in Development only).")]
    private static partial void LogNoUpstreamKey(ILogger logger);
}
