using Microsoft.Extensions.Options;

using Routescope.Fake;
using Routescope.Gateway.Observability;

namespace Routescope.Gateway.Upstream;

/// <summary>
/// Where requests go and with which key, settled once at start: the configured Routescope relay, or the
/// deterministic demo upstream on loopback when no key is configured, so a fresh clone works offline.
/// </summary>
internal sealed partial class UpstreamEndpoint(IOptions<UpstreamOptions> options, ILogger<UpstreamEndpoint> logger) : IAsyncDisposable
{
    private FakeUpstream? _demo;

    /// <summary>Replaces the configured destination addresses when set.</summary>
    public Uri? AddressOverride { get; private set; }

    public string? ApiKey { get; private set; }

    /// <summary>Must run before the proxy loads its configuration (YARP reads it while mapping the routes).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.UseDemoUpstream)
        {
            AddressOverride = settings.BaseUrl;
            ApiKey = string.IsNullOrEmpty(settings.ApiKey) ? null : settings.ApiKey;
            if (ApiKey is null)
            {
                LogNoUpstreamKey(logger);
            }

            return;
        }

        var demoKey = "demo-" + Guid.NewGuid().ToString("N");
        _demo = await FakeUpstream.StartAsync(new FakeUpstreamOptions { ApiKey = demoKey }, cancellationToken);
        AddressOverride = _demo.BaseAddress;
        ApiKey = demoKey;
        LogDemo(logger, _demo.BaseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = EventIds.DemoUpstream, Level = LogLevel.Warning,
        Message = "DEMO MODE: ROUTESCOPE_API_KEY is not set, forwarding to the built-in fake upstream at {Address}. Set ROUTESCOPE_API_KEY to use Routescope.")]
    private static partial void LogDemo(ILogger logger, Uri address);

    [LoggerMessage(EventId = EventIds.NoUpstreamKey, Level = LogLevel.Warning,
        Message = "ROUTESCOPE_API_KEY is not set: requests go upstream without an upstream key.")]
    private static partial void LogNoUpstreamKey(ILogger logger);
}
